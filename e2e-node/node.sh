#!/usr/bin/env bash
# `node.sh up|down|status|load IMAGE...|exec COMMAND...`: a real single-node Kubernetes for the e2e
# suite, from what build.sh put in the cache. Every process of the node runs inside the network
# namespace `small-services-e2e` (its node, pod and service addresses exist nowhere else) and in
# a mount namespace of its own (the machine's mounts stay as they are):
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler  (control plane)
#   containerd (trixie) + runc and the CNI bridge plugin (bookworm), kubelet  (the node)
#   kube-proxy (iptables), kube-router (NetworkPolicy enforcement only)
#   CoreDNS, local-path-provisioner (default StorageClass), metrics-server  (pods, addons/)
# `exec` runs a command in that network namespace with KUBECONFIG set and this node's kubectl
# first on PATH: that is how the e2e suite and `just e2e-kubectl` reach the cluster.
# Needs root (namespaces, cgroups, iptables). See docs/e2e-node.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

pki=$state_dir/pki
kubeconfig=$state_dir/kubeconfig
mount_ns=$run_dir/mnt
# In the node's own /run/containerd (a private tmpfs): the kubelet's cAdvisor looks for it there.
containerd_socket=/run/containerd/containerd.sock
k8s_bin=$(bin_dir kubernetes)
containerd_bin=$(containerd_dir)/usr/bin

in_netns() { nsenter --net="/run/netns/$netns" -- "$@"; }
in_node() { nsenter --mount="$mount_ns" --net="/run/netns/$netns" -- "$@"; }
node_kubectl() { in_netns "$k8s_bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

# Waits up to $1 seconds for a command to succeed; $2 names what is awaited in the error.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what not ready after ${seconds}s; next: read $log_dir/ (node.sh status shows the processes)"
    sleep 0.5
  done
}

# Starts a node process in both namespaces, detached, logging to $log_dir/NAME.log.
start() {
  local name=$1
  shift
  # nsenter and setsid exec: $! is the process itself.
  nsenter --mount="$mount_ns" --net="/run/netns/$netns" -- setsid "$@" >>"$log_dir/$name.log" 2>&1 </dev/null &
  echo $! >"$run_dir/$name.pid"
}

running() { [ -f "$run_dir/$1.pid" ] && kill -0 "$(cat "$run_dir/$1.pid")" 2>/dev/null; }

preflight() {
  [ "$(id -u)" = 0 ] || die "the e2e node needs root (namespaces, cgroups, iptables); next: run it as root (CI does), or on a laptop CLUSTER_PROVIDER=kind just e2e"
  local missing=()
  for p in "${host_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] || die "missing Debian packages: ${missing[*]}; next: apt-get install ${missing[*]}"
  for tool in kubernetes coredns kube-router metrics-server local-path-provisioner pause; do
    [ -f "$(bin_dir "$tool")/.done" ] || die "$tool is not built; next: e2e-node/build.sh"
  done
  [ -f "$(containerd_dir)/.done" ] || die "containerd is not unpacked; next: e2e-node/build.sh"
  grep -q ' /sys/fs/cgroup/memory cgroup ' /proc/self/mounts ||
    die "no cgroup v1 memory hierarchy at /sys/fs/cgroup/memory: this node is set up for cgroup v1 hosts (docs/e2e-node.md)"
}

# --- PKI and credentials ---------------------------------------------------------------------

# cert NAME SUBJECT [EXTENSIONS]: a key and a certificate signed by the node's CA (ca by default).
cert() {
  local name=$1 subject=$2 extensions=${3:-} ca=${4:-ca}
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial \
    -days 2 -out "$pki/$name.crt" ${extensions:+-extfile <(printf '%s\n' "$extensions")} 2>/dev/null
  rm -f "$pki/$name.csr"
}

ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/$1.key" -subj "/CN=$1" -days 2 \
    -out "$pki/$1.crt" 2>/dev/null
}

# kubeconfig FILE USER TOKEN
write_kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $node_name
    cluster:
      server: https://$node_ip:6443
      certificate-authority: $pki/ca.crt
users:
  - name: $2
    user:
      token: $3
contexts:
  - name: $context_name
    context: { cluster: $node_name, user: $2 }
current-context: $context_name
EOF
  chmod 0600 "$1"
}

credentials() {
  mkdir -p "$pki"
  chmod 0700 "$pki"
  ca ca
  ca front-proxy-ca
  local server_names="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  server_names="$server_names,DNS:kubernetes.default.svc.cluster.local,DNS:$node_name,DNS:localhost"
  server_names="$server_names,IP:$kubernetes_service_ip,IP:$node_ip,IP:127.0.0.1"
  cert apiserver "/CN=kube-apiserver" "subjectAltName=$server_names"
  # The apiserver's identity towards the kubelet (logs, exec, port-forward).
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  # Aggregated APIs (metrics-server) trust requests that carry this certificate.
  cert front-proxy-client "/CN=front-proxy-client" "" front-proxy-ca
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

  : >"$pki/tokens.csv"
  client admin e2e-admin system:masters
  client kubelet "system:node:$node_name" system:nodes
  client kube-proxy system:kube-proxy
  client controller-manager system:kube-controller-manager
  client scheduler system:kube-scheduler
  client kube-router e2e:kube-router
}

# client NAME USER [GROUPS]: a random token in the apiserver's token file and a kubeconfig with it
# (the admin's is the node's kubeconfig).
client() {
  local token file=$pki/$1.kubeconfig
  token=$(openssl rand -hex 24)
  echo "$token,$2,$1,\"${3:-}\"" >>"$pki/tokens.csv"
  [ "$1" = admin ] && file=$kubeconfig
  write_kubeconfig "$file" "$2" "$token"
}

# --- configuration files ---------------------------------------------------------------------

configs() {
  mkdir -p "$state_dir/containerd" "$state_dir/cni/net.d" "$state_dir/kubelet" "$state_dir/local-path"
  cat >"$state_dir/containerd/config.toml" <<EOF
version = 2
root = "$state_dir/containerd/root"
state = "$state_dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$containerd_socket"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  # root without CAP_SYS_RESOURCE cannot lower oom_score_adj below its own
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = false
      BinaryName = "/usr/sbin/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state_dir/cni/net.d"
EOF
  cat >"$state_dir/cni/net.d/10-e2e-pods.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "e2e-pods",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$state_dir/cni/ipam",
        "ranges": [[{ "subnet": "$node_pod_cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  # Pods resolve through CoreDNS only; the node itself has no upstream DNS.
  echo "nameserver $dns_service_ip" >"$state_dir/resolv.conf"
  cat >"$state_dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# PID 1 is not systemd and the host has cgroup v1 only.
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$containerd_socket
address: $node_ip
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $pki/ca.crt }
authorization: { mode: Webhook }
clusterDomain: cluster.local
clusterDNS: [$dns_service_ip]
resolvConf: $state_dir/resolv.conf
# No registry: an image removed by garbage collection could never come back.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: { memory.available: 200Mi, nodefs.available: 1Gi, imagefs.available: 1Gi }
serializeImagePulls: false
EOF
  cat >"$state_dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $pki/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $pod_cidr
hostnameOverride: $node_name
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# nf_conntrack_max is read-only outside the initial network namespace.
conntrack: { maxPerCore: 0 }
EOF
}

# --- namespaces ------------------------------------------------------------------------------

namespaces() {
  ip netns add "$netns"
  ip -n "$netns" link set lo up
  # This kernel has no dummy links: a veth pair with both ends inside carries the node IP, and the
  # default route through it drops whatever is not for the node or its pods.
  ip -n "$netns" link add e2e0 type veth peer name e2e1
  ip -n "$netns" addr add "$node_ip/32" dev e2e0
  ip -n "$netns" link set e2e0 up
  ip -n "$netns" link set e2e1 up
  ip -n "$netns" route add default dev e2e0
  in_netns sysctl -qw net.ipv4.ip_forward=1

  # A persistent mount namespace: the kubelet needs / shared for mount propagation, and paths the
  # node writes to that cannot be configured get private mounts here.
  mkdir -p "$run_dir" "$state_dir/kubelet"
  mount --bind "$run_dir" "$run_dir"
  mount --make-private "$run_dir"
  touch "$mount_ns"
  mkdir -p /var/lib/kubelet /run/containerd
  unshare --mount="$mount_ns" --propagation private sh -ec "
    mount --make-rshared /
    mount -t tmpfs -o mode=0755 e2e-node-var-log /var/log
    mount -t tmpfs -o mode=0711 e2e-node-containerd /run/containerd
    mount --bind '$state_dir/kubelet' /var/lib/kubelet
    mount --make-rshared /var/lib/kubelet"
}

# --- up --------------------------------------------------------------------------------------

apiserver_ready() {
  in_netns "$k8s_bin/kubectl" --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1
}

up() {
  preflight
  if running kube-apiserver && apiserver_ready; then
    say "already up (node.sh down removes it)"
    return 0
  fi
  if [ -e "$state_dir" ]; then
    say "$state_dir is left from an earlier node that is not running: removing it first"
    down || die "could not remove what the earlier node left; next: read the lines above, then e2e-node/node.sh down"
  fi
  local started=$SECONDS
  mkdir -p "$run_dir" "$log_dir"
  credentials
  configs
  namespaces
  say "namespaces and credentials: $((SECONDS - started))s"

  start etcd "$k8s_bin/etcd" --name e2e --data-dir "$state_dir/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster e2e=http://127.0.0.1:2380 --unsafe-no-fsync
  start kube-apiserver "$k8s_bin/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --advertise-address "$node_ip" --secure-port 6443 --service-cluster-ip-range "$service_cidr" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --allow-privileged=true \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" \
    --proxy-client-key-file "$pki/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false
  wait_for 90 kube-apiserver apiserver_ready
  say "control plane API: $((SECONDS - started))s"

  local component
  for component in controller-manager scheduler; do
    local -a flags=(--kubeconfig "$pki/$component.kubeconfig"
      --authentication-kubeconfig "$pki/$component.kubeconfig"
      --authorization-kubeconfig "$pki/$component.kubeconfig"
      --bind-address 127.0.0.1 --leader-elect=false --profiling=false)
    if [ "$component" = controller-manager ]; then
      flags+=(--service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt"
        --use-service-account-credentials --allocate-node-cidrs --cluster-cidr "$pod_cidr"
        --node-cidr-mask-size 24 --service-cluster-ip-range "$service_cidr")
    fi
    start "kube-$component" "$k8s_bin/kube-$component" "${flags[@]}"
  done

  start containerd env PATH="$containerd_bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "$containerd_bin/containerd" --config "$state_dir/containerd/config.toml"
  wait_for 30 containerd in_node "$containerd_bin/ctr" --address "$containerd_socket" version
  load_images "${node_images[@]}"
  say "containerd with the node's images: $((SECONDS - started))s"

  start kubelet "$k8s_bin/kubelet" --config "$state_dir/kubelet.yaml" \
    --kubeconfig "$pki/kubelet.kubeconfig" --hostname-override "$node_name" --node-ip "$node_ip" \
    --root-dir /var/lib/kubelet --cert-dir /var/lib/kubelet/pki
  start kube-proxy "$k8s_bin/kube-proxy" --config "$state_dir/kube-proxy.yaml"
  # kube-router reads its RBAC from addons/; the node object must exist before it starts.
  node_kubectl apply --server-side -f "$e2e_dir/addons/kube-router-rbac.yaml" >/dev/null
  wait_for 60 "node $node_name registered" node_kubectl get node "$node_name"
  start kube-router "$(bin_dir kube-router)/kube-router" --kubeconfig "$pki/kube-router.kubeconfig" \
    --hostname-override "$node_name" --run-firewall=true --run-router=false \
    --run-service-proxy=false --service-cluster-ip-range "$service_cidr" --metrics-port 0
  wait_for 120 "node $node_name Ready" node_kubectl wait --for condition=Ready --timeout 2s "node/$node_name"
  say "node Ready: $((SECONDS - started))s"

  addons
  say "up in $((SECONDS - started))s: e2e-node/node.sh exec kubectl get pods -A"
}

# CoreDNS (ours), local-path-provisioner and metrics-server (each its module's own manifests at the
# pinned version, changed by our kustomize components under addons/).
addons() {
  local modules work=$state_dir/addons name
  modules=$(go env GOMODCACHE)
  local -A bases=(
    [local-path-provisioner]=github.com/rancher/local-path-provisioner@$local_path_version/deploy
    [metrics-server]=sigs.k8s.io/metrics-server@$metrics_server_version/manifests/base
    [prometheus-operator]=github.com/prometheus-operator/prometheus-operator@$prometheus_operator_version/example/rbac/prometheus-operator)
  # kustomize takes only relative paths.
  for name in "${!bases[@]}"; do
    [ -d "$modules/${bases[$name]}" ] || (cd "$(module_dir "$name")" && go mod download)
    mkdir -p "$work/$name"
    # A directory of plain manifests (the operator's) is copied in and listed file by file
    # (kustomize loads files only from below its own directory); its ServiceMonitor of itself is
    # left out.
    local resources base=$modules/${bases[$name]} file
    if [ -f "$base/kustomization.yaml" ]; then
      resources=$(realpath --relative-to "$work/$name" "$base")
    else
      mkdir -p "$work/$name/upstream"
      resources=''
      for file in "$base"/*.yaml; do
        [[ $file == *service-monitor* ]] && continue
        cp "$file" "$work/$name/upstream/"
        resources=${resources:+$resources,}upstream/${file##*/}
      done
    fi
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [%s]\ncomponents: [%s]\n' \
      "$resources" \
      "$(realpath --relative-to "$work/$name" "$e2e_dir/addons/$name")" >"$work/$name/kustomization.yaml"
  done
  # The operator's manifests name no namespace of their own (default): it runs in monitoring, as
  # kube-prometheus-stack's does.
  printf 'namespace: monitoring\n' >>"$work/prometheus-operator/kustomization.yaml"
  # The placeholders in addons/: images are split at the tag's colon for kustomize's images:.
  local images="s|E2E_DNS_SERVICE_IP|$dns_service_ip|; s|E2E_LOCAL_PATH_DIR|$state_dir/local-path|"
  images="$images; s|E2E_COREDNS_IMAGE|$coredns_image|; s|E2E_HELPER_IMAGE|$helper_image|"
  images="$images; s|E2E_LOCAL_PATH_IMAGE_NAME|${local_path_image%:*}|; s|E2E_LOCAL_PATH_IMAGE_TAG|${local_path_image##*:}|"
  images="$images; s|E2E_METRICS_SERVER_IMAGE_NAME|${metrics_server_image%:*}|; s|E2E_METRICS_SERVER_IMAGE_TAG|${metrics_server_image##*:}|"
  images="$images; s|E2E_OPERATOR_IMAGE_NAME|${operator_image%:*}|; s|E2E_OPERATOR_IMAGE_TAG|${operator_image##*:}|; s|E2E_RELOADER_IMAGE|$reloader_image|"
  {
    sed "$images" "$e2e_dir/addons/coredns.yaml"
    echo ---
    # (metrics-server's base still uses commonLabels: kustomize's deprecation warning is dropped)
    node_kubectl kustomize "$work/local-path-provisioner" | sed "$images"
    echo ---
    node_kubectl kustomize "$work/metrics-server" 2> >(grep -v commonLabels >&2) | sed "$images"
    echo ---
    node_kubectl create namespace monitoring --dry-run=client -o yaml
  } | node_kubectl apply --server-side -f - >/dev/null
  # The operator's CRDs, then the operator (its Deployment needs the CRDs to start watching).
  node_kubectl apply --server-side -f "$modules/${bases[prometheus-operator]%/rbac/*}/prometheus-operator-crd/" >/dev/null
  node_kubectl kustomize "$work/prometheus-operator" | sed "$images" | node_kubectl apply --server-side -f - >/dev/null
  node_kubectl rollout status -n kube-system deployment/coredns --timeout 120s >/dev/null
  node_kubectl rollout status -n local-path-storage deployment/local-path-provisioner --timeout 120s >/dev/null
  node_kubectl rollout status -n kube-system deployment/metrics-server --timeout 180s >/dev/null
  node_kubectl rollout status -n monitoring deployment/prometheus-operator --timeout 120s >/dev/null
  wait_for 120 "metrics API" node_kubectl wait --for condition=Available --timeout 2s apiservice/v1beta1.metrics.k8s.io
}

# Copies images from docker into the node's containerd (the kubelet's image store).
load_images() {
  docker save "$@" | in_node "$containerd_bin/ctr" --address "$containerd_socket" -n k8s.io images import - >/dev/null
}

# --- down ------------------------------------------------------------------------------------

# Stops node processes together: SIGTERM, up to 5 s to exit, then SIGKILL.
stop() {
  local name pids=()
  for name in "$@"; do
    [ -f "$run_dir/$name.pid" ] && pids+=("$(cat "$run_dir/$name.pid")")
    rm -f "$run_dir/$name.pid"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

# Processes in the kubelet's cgroups: the pods' own (pause and containers), which live in network
# namespaces of their own and outlive the node's processes.
pod_pids() { find /sys/fs/cgroup/*/kubepods* -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un; }

# Processes running a binary from the caches (containerd's shims re-parent to init).
cache_pids() {
  local pid exe
  for pid in /proc/[0-9]*; do
    exe=$(readlink "$pid/exe" 2>/dev/null) || continue
    case $exe in "$cache_dir"/* | "$tools_cache"/*) echo "${pid#/proc/}" ;; esac
  done
}

down() {
  shopt -s nullglob
  stop kubelet kube-proxy kube-router kube-scheduler kube-controller-manager
  local pids
  pids=$(pod_pids)
  # shellcheck disable=SC2086 # one pid a word
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  stop containerd
  stop kube-apiserver etcd
  pids=$(cache_pids)
  # shellcheck disable=SC2086 # one pid a word
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
  sleep 0.5
  local dir
  for dir in /sys/fs/cgroup/*/kubepods*; do
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  if mountpoint -q "$mount_ns" 2>/dev/null; then umount "$mount_ns"; fi
  if mountpoint -q "$run_dir" 2>/dev/null; then umount "$run_dir"; fi
  if ip netns list | grep -qw "^$netns"; then ip netns delete "$netns"; fi
  rm -rf "$state_dir"
  leftovers
}

# Fails when anything of the node is still on the machine.
leftovers() {
  shopt -s nullglob
  local problems=()
  [ -z "$(pod_pids)" ] || problems+=("pod processes: $(pod_pids | tr '\n' ' ')")
  [ -z "$(cache_pids)" ] || problems+=("node processes: $(cache_pids | tr '\n' ' ')")
  local cgroups=(/sys/fs/cgroup/*/kubepods*)
  [ ${#cgroups[@]} -eq 0 ] || problems+=("cgroups: ${cgroups[*]}")
  ! ip netns list | grep -qw "^$netns" || problems+=("network namespace $netns")
  ! grep -q "$state_dir" /proc/self/mountinfo || problems+=("mounts under $state_dir")
  ! ip -o link show | grep -Eq ': (cni0|e2e0|e2e1|kube-bridge)[:@]' || problems+=("interfaces on the machine")
  [ ! -e "$state_dir" ] || problems+=("$state_dir")
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'e2e-node: left behind: %s\n' "${problems[@]}" >&2
    return 1
  fi
  say "down: no process, cgroup, mount, namespace or interface left"
}

status() {
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router; do
    if running "$name"; then echo "$name: running (pid $(cat "$run_dir/$name.pid"), log $log_dir/$name.log)"; else echo "$name: not running"; fi
  done
  running kube-apiserver && apiserver_ready || return 1
  node_kubectl get nodes,pods -A -o wide
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  load)
    shift
    load_images "$@" ;;
  exec)
    shift
    [ $# -gt 0 ] || die "usage: node.sh exec COMMAND [ARG...]"
    running kube-apiserver || die "the e2e node is not up; next: e2e-node/node.sh up (or just e2e)"
    KUBECONFIG=$kubeconfig PATH="$k8s_bin:$PATH" in_netns "$@" ;;
  *)
    echo "usage: node.sh up|down|status|load IMAGE...|exec COMMAND..." >&2
    exit 2 ;;
esac
