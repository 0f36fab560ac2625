#!/usr/bin/env bash
# The reference runs that need more compute than 2 CPU cores, as one call on the GPU machine of the
# device tool (see ../../docs/gpu.md and ../shared/tools/gpu/README.md). Every job runs in the
# background with its own time budget; a training stopped by its budget (SIGINT) keeps its last
# epoch's checkpoint, and its metrics.jsonl says how far it got. Results go to $OUT/results.tar.gz.
#   pack:  ../shared/tools/gpu/pack.sh src/GenerativeSharp.Cli/GenerativeSharp.Cli.csproj /usr/share/datasets/fashion-mnist
#   run:   bash bench/gpu/reference-runs.sh [JOB ...]      (GENSHARP="path/to/gensharp" DEVICE=cpu for a dry run)
set -uo pipefail
OUT=${OUT:-/tmp/out}
GENSHARP=${GENSHARP:-bash .gpu/run.sh}
DEVICE=${DEVICE:-cuda}
FASHION=${FASHION:-.gpu/fashion-mnist}
SCALE=${SCALE:-100}        # percent of every time budget (a dry run uses less)
RUNS="$OUT/runs"
mkdir -p "$RUNS"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

g() { $GENSHARP "$@"; }
budget() { echo $(( $1 * SCALE / 100 + 1 )); }        # budget SECONDS_AT_SCALE_100

# train NAME MODEL DATA SECONDS ARGS...: trains under a time budget, then evaluates (JSON) on the test set.
train() {
  local name=$1 model=$2 data=$3 seconds=$4; shift 4
  local start=$SECONDS
  timeout -s INT "$(budget "$seconds")" $GENSHARP train "$model" --data "$data" --device "$DEVICE" --out "$RUNS/$name" \
    --progress plain "$@" > "$RUNS/$name.train.log" 2>&1
  echo "train exit $? after $((SECONDS - start)) s" >> "$RUNS/$name.train.log"
  g eval "$RUNS/$name" --json --device "$DEVICE" --progress none > "$RUNS/$name.eval.json" 2> "$RUNS/$name.eval.log"
}

job_pixel_mnist() {
  train gated-mnist gated-pixelcnn mnist-10k 150 --epochs 20
  g complete "$RUNS/gated-mnist" --hole lower-half --test 10 --count 4 --device "$DEVICE" --out "$RUNS/completion-lower-half.png" > "$RUNS/complete.log" 2>&1
  g complete "$RUNS/gated-mnist" --hole watermark --test 10 --count 4 --device "$DEVICE" --out "$RUNS/completion-watermark.png" >> "$RUNS/complete.log" 2>&1
}
job_pixel_conditional() {
  train gated-mnist-classes gated-pixelcnn mnist-10k 150 --epochs 20 --set classes=10
  for label in 0 3 7; do
    g sample "$RUNS/gated-mnist-classes" --label $label --count 16 --device "$DEVICE" --out "$RUNS/gated-mnist-class-$label.png" >> "$RUNS/sample.log" 2>&1
  done
}
job_pixel_fashion() { train gated-fashion gated-pixelcnn "$FASHION" 180 --epochs 10; }
job_nade_mnist() { train nade-mnist nade mnist-10k 120 --epochs 20; }
job_nade_fashion() { train nade-fashion nade "$FASHION" 180 --epochs 10; }
job_made_fashion() {
  train made1-fashion made "$FASHION" 80 --epochs 20
  train made8-fashion made "$FASHION" 90 --epochs 20 --set masks=8
}
# Training-step timings against PyTorch on the same GPU, before the training jobs load it.
bench() {
  OMP_NUM_THREADS=16 g bench vae conv-stack --device "$DEVICE" --json --repeats 20 > "$OUT/bench.json" 2> "$OUT/bench.log"
  GENSHARP_BENCH_JSON="$OUT/bench.json" PYTHON=python3 bash bench/compare.sh --device "$DEVICE" --threads 16 --repeats 20 > "$OUT/compare.txt" 2>&1
}

jobs_to_run=("$@")
[ ${#jobs_to_run[@]} -eq 0 ] && jobs_to_run=(pixel_mnist pixel_conditional pixel_fashion nade_mnist nade_fashion made_fashion)
# Fashion-MNIST travels as .xz (smaller than the .gz files, to fit the 64 MiB carry): unpack to raw IDX.
if ls .gpu/fashion-mnist/*.xz > /dev/null 2>&1; then
  FASHION="${TMPDIR:-/tmp}/fashion-mnist"; mkdir -p "$FASHION"
  cp .gpu/fashion-mnist/*.gz "$FASHION/"
  python3 -c "import lzma, shutil, sys, os
for f in sys.argv[2:]:
    with lzma.open(f) as src, open(os.path.join(sys.argv[1], os.path.basename(f)[:-3]), 'wb') as dst: shutil.copyfileobj(src, dst)" "$FASHION" .gpu/fashion-mnist/*.xz
fi
g models > "$OUT/models.txt" 2>&1           # unpacks the app once before the jobs start in parallel
nvidia-smi --query-gpu=name,memory.total --format=csv > "$OUT/gpu.txt" 2>&1 || true
[ "${BENCH:-1}" = 1 ] && bench
for j in "${jobs_to_run[@]}"; do ( "job_$j" ) & done
wait
tar -C "$OUT" -czf "$OUT/results.tar.gz" --exclude='*.safetensors' runs models.txt gpu.txt
find "$RUNS" -name checkpoint.safetensors -size -15M | sort | head -${CHECKPOINTS:-4} | while read -r f; do
  cp "$f" "$OUT/$(basename "$(dirname "$f")").safetensors"; done
rm -rf "$RUNS"
ls -la "$OUT"
