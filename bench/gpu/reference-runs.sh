#!/usr/bin/env bash
# The reference runs that need more compute than 2 CPU cores, as one call on the GPU machine of the
# device tool (see docs/gpu.md). Every job runs in the
# background with its own time budget; a training stopped by its budget (SIGINT) keeps its last
# epoch's checkpoint, and its metrics.jsonl says how far it got. Results go to $OUT/results.tar.gz.
#   pack:  publish the CLI self-contained for linux-x64 with the Fashion-MNIST files into .gpu/ (docs/gpu.md says how)
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
  g eval "$RUNS/$name" --json --device "$DEVICE" --progress none ${EVAL_EXTRA:-} > "$RUNS/$name.eval.json" 2> "$RUNS/$name.eval.log"
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
# Pixel-by-pixel samplers skip the 10,000-sample quality metrics (their likelihood is the number here).
job_nade() {
  EVAL_EXTRA="--quality-samples 0" train nade-mnist nade mnist-10k 110 --epochs 20
  EVAL_EXTRA="--quality-samples 0" train nade-fashion nade "$FASHION" 170 --epochs 10
}
job_gated_fashion() { EVAL_EXTRA="--quality-samples 0" train gated-fashion gated-pixelcnn "$FASHION" 290 --epochs 10; }
job_glow_fashion() {
  train glow-fashion glow "$FASHION" 290 --batch-size 128 --epochs 12 --set hidden=128
  g eval "$RUNS/glow-fashion" --data mnist-10k --json --device "$DEVICE" --progress none --quality-samples 0 > "$RUNS/glow-fashion.ood-mnist.eval.json" 2>&1
  g sample "$RUNS/glow-fashion" --temperature 0.7 --device "$DEVICE" --out "$RUNS/glow-fashion-t07.png" > "$RUNS/glow-fashion.sample.log" 2>&1
}
job_realnvp_fashion() {
  train realnvp-fashion realnvp "$FASHION" 290 --batch-size 128 --epochs 12 --set hidden=128
  g eval "$RUNS/realnvp-fashion" --data mnist-10k --json --device "$DEVICE" --progress none --quality-samples 0 > "$RUNS/realnvp-fashion.ood-mnist.eval.json" 2>&1
}
job_dcgan_fashion() {
  EVAL_EXTRA="--parzen-samples 1000" train dcgan-fashion dcgan "$FASHION" 270 --epochs 20
  g breed "$RUNS/dcgan-fashion" --parents 3,17 --children 8 --mutation 0.25 --device "$DEVICE" --out "$RUNS/dcgan-fashion-breed.png" > "$RUNS/dcgan-fashion.breed.log" 2>&1
  g sample "$RUNS/dcgan-fashion" --count 64 --device "$DEVICE" --out "$RUNS/dcgan-fashion-samples.png" > "$RUNS/dcgan-fashion.sample.log" 2>&1
}
job_wgan_fashion() {
  EVAL_EXTRA="--parzen-samples 1000" train wgan-fashion wgan-gp "$FASHION" 270 --epochs 30
  g sample "$RUNS/wgan-fashion" --count 64 --device "$DEVICE" --out "$RUNS/wgan-fashion-samples.png" > "$RUNS/wgan-fashion.sample.log" 2>&1
}

# Training-step timings against PyTorch on the same GPU, before the training jobs load it.
bench() {
  OMP_NUM_THREADS=16 g bench vae conv-stack --device "$DEVICE" --json --repeats 20 > "$OUT/bench.json" 2> "$OUT/bench.log"
  GENSHARP_BENCH_JSON="$OUT/bench.json" PYTHON=python3 bash bench/compare.sh --device "$DEVICE" --threads 16 --repeats 20 > "$OUT/compare.txt" 2>&1
}

jobs_to_run=("$@")
[ ${#jobs_to_run[@]} -eq 0 ] && jobs_to_run=(nade gated_fashion glow_fashion realnvp_fashion dcgan_fashion wgan_fashion)
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
[ "${BENCH:-0}" = 1 ] && bench
# A watchdog stops whatever still runs at DEADLINE seconds, so the archive below is always written.
( sleep "${DEADLINE:-390}"; pkill -INT -f gpuapp; sleep 15; pkill -KILL -f gpuapp ) > /dev/null 2>&1 &
watchdog=$!
pids=()
for j in "${jobs_to_run[@]}"; do ( "job_$j" ) & pids+=($!); done
wait "${pids[@]}"
kill "$watchdog" 2>/dev/null
# At most 8 files come back: one archive with every log, report and picture, then chosen checkpoints.
mv "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.log "$RUNS/" 2>/dev/null
tar -C "$OUT" -czf "$OUT/results.tar.gz" --exclude='*.safetensors' runs
for name in ${KEEP:-dcgan-fashion glow-fashion gated-fashion}; do
  f="$RUNS/$name/checkpoint.safetensors"
  [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 15000000 ] && cp "$f" "$OUT/$name.safetensors"
done
rm -rf "$RUNS"
ls -la "$OUT"
