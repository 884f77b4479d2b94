# Sourced by build.sh and node.sh: where the e2e node keeps its build cache and its state, and the
# versions of everything it runs. Every version comes from one place: a Go tool's from its go.mod
# under tools/ (built by tools/go-tool.sh), the Debian packages' from the lists below.
# shellcheck shell=bash disable=SC2034

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Debian packages unpacked by build.sh, kept between runs and clones, by version.
cache_dir=${E2E_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/small-services/e2e-node}
# State of a running node (PKI, etcd, containerd, kubelet, logs); removed by `node.sh down`.
state_dir=${E2E_NODE_STATE:-/var/lib/small-services-e2e}
run_dir=$state_dir/run
log_dir=$state_dir/logs

# The node's network lives in its own namespace: nothing below is ever on the machine's interfaces.
netns=small-services-e2e
node_name=e2e-node
node_ip=10.250.0.2
pod_cidr=10.244.0.0/16
node_pod_cidr=10.244.0.0/24
service_cidr=10.96.0.0/16
kubernetes_service_ip=10.96.0.1
dns_service_ip=10.96.0.10
context_name=e2e-node

# Debian packages the node runs, installed on the machine with apt (bookworm): checked by `node.sh up`.
host_packages=(runc containernetworking-plugins iptables ipset conntrack)
# Newer than bookworm's 1.6 (Kubernetes 1.34 needs containerd 1.7+), extracted into the cache, not
# installed: trixie's build runs on bookworm's glibc. Its runc (trixie's needs glibc 2.38) is bookworm's.
containerd_deb=containerd=1.7.24~ds1-6+deb13u1
containerd_suite=trixie
# The shell and tools of local-path-provisioner's helper pods.
busybox_deb=busybox-static=1:1.35.0-4+deb12u1+b1
debian_mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Tool modules, their versions and where their binaries are built: tools/go-tool.sh.
# shellcheck source=tools/go-tool.sh
source "$e2e_dir/../tools/go-tool.sh"

kubernetes_version=$(module_version kubernetes k8s.io/kubernetes)
coredns_version=$(module_version coredns github.com/coredns/coredns)
kube_router_version=$(module_version kube-router github.com/cloudnativelabs/kube-router/v2)
metrics_server_version=$(module_version metrics-server sigs.k8s.io/metrics-server)
local_path_version=$(module_version local-path-provisioner github.com/rancher/local-path-provisioner)
prometheus_operator_version=$(module_version prometheus-operator github.com/prometheus-operator/prometheus-operator)
prometheus_version=$(prometheus_release)

containerd_dir() { echo "$cache_dir/debs/${containerd_deb//[=:~+]/_}"; }
busybox_dir() { echo "$cache_dir/debs/${busybox_deb//[=:~+]/_}"; }

# Images the node needs, built locally (no registry is reachable) by build.sh.
image_prefix=e2e-node.local
pause_image=$image_prefix/pause:$(bin_key pause)
coredns_image=$image_prefix/coredns:$coredns_version
metrics_server_image=$image_prefix/metrics-server:$metrics_server_version
local_path_image=$image_prefix/local-path-provisioner:$local_path_version
busybox_version=${busybox_deb#*=}
helper_image=$image_prefix/local-path-helper:busybox-${busybox_version//[:+~]/_}
operator_image=$image_prefix/prometheus-operator:$prometheus_operator_version
reloader_image=$image_prefix/prometheus-config-reloader:$prometheus_operator_version
prometheus_image=$image_prefix/prometheus:$prometheus_version
node_images=("$pause_image" "$coredns_image" "$metrics_server_image" "$local_path_image" "$helper_image"
  "$operator_image" "$reloader_image" "$prometheus_image")

say() { echo "e2e-node: $*" >&2; }
die() {
  echo "e2e-node: error: $*" >&2
  exit 1
}
