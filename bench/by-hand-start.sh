#!/usr/bin/env bash
# The container-start benchmark's honest peer: starts one container doing by hand what Berth's local
# runtime does for an instance, with the same tools Berth used before its native path: an overlay root
# (image below, a fresh writable layer above), a network namespace with a veth pair whose host side
# hangs on the bridge and eth0 with a fixed address, MAC and default route (two `ip -batch` calls), the
# bundle's hosts/resolv.conf/config.json (config.json from a template Berth wrote), then `runc run -d`.
#   bench/by-hand-start.sh ID IP MAC LOWER DIR RUNC_ROOT TEMPLATE BRIDGE GATEWAY PREFIX VETH
# Undo with bench/by-hand-start.sh --remove ID DIR RUNC_ROOT BRIDGE VETH.
set -euo pipefail
if [ "$1" = --remove ]; then
  id=$2 dir=$3 root=$4 bridge=$5 veth=$6
  runc --root "$root" kill "$id" KILL 2>/dev/null || true
  runc --root "$root" delete --force "$id" 2>/dev/null || true
  umount "$dir/rootfs" 2>/dev/null || umount -l "$dir/rootfs" 2>/dev/null || true
  ip link del "$veth" 2>/dev/null || true
  ip netns del "berth-$bridge-$id" 2>/dev/null || true
  rm -rf "$dir"
  exit 0
fi
id=$1 ip=$2 mac=$3 lower=$4 dir=$5 root=$6 template=$7 bridge=$8 gw=$9 prefix=${10} veth=${11}
ns="berth-$bridge-$id"
mkdir -p "$dir/upper" "$dir/work" "$dir/rootfs"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs"
ip -batch - <<EOF
netns add $ns
link add $veth type veth peer name eth0 netns $ns
link set dev $veth master $bridge up
EOF
ip -n "$ns" -batch - <<EOF
link set dev eth0 address $mac
addr add $ip/$prefix dev eth0
link set eth0 up
link set lo up
route replace default via $gw
EOF
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n%s\t%s\n' "$ip" "$id" > "$dir/hosts"
cat /etc/resolv.conf > "$dir/resolv.conf"
sed -e "s|@DIR@|$dir|g" -e "s|@ID@|$id|g" "$template" > "$dir/config.json"
exec runc --root "$root" run -d --bundle "$dir" "$id" </dev/null >>"$dir/console.log" 2>&1
