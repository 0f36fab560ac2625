#!/usr/bin/env bash
# Compares GenerativeSharp's training-step times with PyTorch peers of the same workloads.
# Runs `./gensharp bench vae conv-stack pix2pix --json` from the repository root, then bench/peers/vae_step.py,
# bench/peers/conv_stack.py and bench/peers/pix2pix_step.py with the same device, threads and repeats, and prints one table.
#
#   bench/compare.sh [--device cpu|cuda] [--repeats N] [--threads N] [--peer-channels-last] [--ddpm]
#
# --ddpm adds the ddpm recipe and bench/peers/ddpm_step.py (a 128-image U-Net step: seconds per step on a CPU).
#
# --peer-channels-last runs the PyTorch conv-stack in torch.channels_last, the layout
# GenerativeSharp gives convolution weights on a CPU (GENSHARP_CONV_LAYOUT=contiguous turns ours off).
#
# Environment:
#   PYTHON               interpreter with PyTorch (default /usr/bin/python3: Debian's torch 1.13)
#   GENSHARP_BENCH_JSON  a file holding gensharp bench --json output to use instead of running gensharp
#   GENSHARP_THREADS     OMP_NUM_THREADS for the gensharp run (default: the --threads value;
#                        set it to "default" to leave libtorch's own default)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
device=cpu
repeats=30
threads=2
peer_layout=()
models=(vae conv-stack pix2pix)
peer_names=(vae_step conv_stack pix2pix_step)

usage() { sed -n '2,/^set /p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="${2:?--device needs a value}"; shift 2 ;;
    --device=*) device="${1#*=}"; shift ;;
    --repeats) repeats="${2:?--repeats needs a value}"; shift 2 ;;
    --repeats=*) repeats="${1#*=}"; shift ;;
    --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
    --threads=*) threads="${1#*=}"; shift ;;
    --peer-channels-last) peer_layout=(--channels-last); shift ;;
    --ddpm) models+=(ddpm); peer_names+=(ddpm_step); shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$device" in cpu|cuda) ;; *) echo "compare.sh: --device must be cpu or cuda, got '$device'" >&2; exit 2 ;; esac
for value in "$repeats" "$threads"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --repeats and --threads need positive integers, got '$value'" >&2; exit 2; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ -n "${GENSHARP_BENCH_JSON:-}" ]; then
  echo "compare.sh: using $GENSHARP_BENCH_JSON instead of running gensharp" >&2
  cp "$GENSHARP_BENCH_JSON" "$tmp/gensharp.json"
else
  gs_threads="${GENSHARP_THREADS:-$threads}"
  echo "compare.sh: ./gensharp bench ${models[*]} --json --device $device --repeats $repeats (OMP_NUM_THREADS=$gs_threads)" >&2
  if [ "$gs_threads" = default ]; then
    (cd "$root" && ./gensharp bench "${models[@]}" --json --device "$device" --repeats "$repeats") > "$tmp/gensharp.json"
  else
    (cd "$root" && OMP_NUM_THREADS="$gs_threads" ./gensharp bench "${models[@]}" --json --device "$device" --repeats "$repeats") > "$tmp/gensharp.json"
  fi
fi

peers=()
for peer in "${peer_names[@]}"; do
  echo "compare.sh: $python bench/peers/$peer.py --device $device --threads $threads --repeats $repeats" >&2
  extra=()
  [ "$peer" = conv_stack ] && extra=("${peer_layout[@]}")
  "$python" "$here/peers/$peer.py" --device "$device" --threads "$threads" --repeats "$repeats" "${extra[@]}" > "$tmp/$peer.json"
  peers+=("$tmp/$peer.json")
done

"$python" "$here/join_results.py" "$tmp/gensharp.json" "${peers[@]}"
