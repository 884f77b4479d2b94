module small-services/e2e-node/pause

go 1.24.0
