# Every recipe of the project; `just --list` shows them with their descriptions.
# Each area keeps its recipes in its own module under just/.

set shell := ["bash", "-euo", "pipefail", "-c"]
set dotenv-load := false

import 'just/dev.just'
import 'just/health.just'
import 'just/images.just'
import 'just/k8s.just'
import 'just/monitoring.just'
import 'just/cluster.just'
import 'just/bench.just'
import 'just/e2e.just'

# List the recipes
default:
    @just --list
