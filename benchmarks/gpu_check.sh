#!/usr/bin/env bash
# On a machine with a CUDA build of OpenCV: run the CPU/CUDA parity test, then the OCR benchmark
# with OCR_GPU_ENABLED=false and =true, and print one comparison table.
#   bash benchmarks/gpu_check.sh [PER_LEVEL]   (default 20 cards per level and type)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PER_LEVEL=${1:-20}
OUT=benchmarks/out
mkdir -p "$OUT"

echo "== OpenCV CUDA devices: $("$PY" -c 'import cv2; print(getattr(cv2, "cuda", None) and cv2.cuda.getCudaEnabledDeviceCount() or 0)')"
echo "== parity test"
"$PY" -m pytest -p no:django -q -rs \
    "ocr_gpu/tests/test_preprocess.py::test_cuda_backend_matches_cpu_backend" || true

for gpu in false true; do
    echo "== benchmark OCR_GPU_ENABLED=$gpu"
    OCR_GPU_ENABLED=$gpu "$PY" benchmarks/ocr_bench.py --per-level "$PER_LEVEL" --workers 1,2 \
        --repeats 1 --out "$OUT/ocr_gpu_$gpu.json" >/dev/null
done

"$PY" - "$OUT/ocr_gpu_false.json" "$OUT/ocr_gpu_true.json" <<'PYEOF'
import json
import sys

runs = [json.load(open(path)) for path in sys.argv[1:]]
print("| OCR_GPU_ENABLED | backend | number CER | card CER | preprocess p50 ms | ocr p50 ms "
      "| e2e p50 ms | e2e p95 ms | img/s (1 / 2 workers) |")
print("|---|---|---|---|---|---|---|---|---|")
for run in runs:
    a = run["summary"]["all"]
    ips = run["images_per_second"]
    print(f"| {run['gpu_enabled']} | {run['backend']} | {a['number_cer']:.2%} | {a['card_cer']:.2%} "
          f"| {a['preprocess_p50']:.0f} | {a['ocr_p50']:.0f} | {a['e2e_p50']:.0f} "
          f"| {a['e2e_p95']:.0f} | {ips.get('1', 0):.2f} / {ips.get('2', 0):.2f} |")
PYEOF
