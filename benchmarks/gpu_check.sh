#!/usr/bin/env bash
# On a GPU host (the Dockerfile.gpu image: onnxruntime-gpu, OpenCV built with CUDA): the parity
# tests (same card, same text on CPU and CUDA), then the OCR benchmark with both ONNX Runtime
# providers and both preprocessing backends, and one table.
#   bash benchmarks/gpu_check.sh [PER_LEVEL]   (default 10 cards per level and type)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PER_LEVEL=${1:-10}
OUT=benchmarks/out
mkdir -p "$OUT"

echo "== OpenCV CUDA devices: $("$PY" -c 'import cv2; print(getattr(cv2, "cuda", None) and cv2.cuda.getCudaEnabledDeviceCount() or 0)')"
echo "== ONNX Runtime providers: $("$PY" -c 'import onnxruntime as o; print(",".join(o.get_available_providers()))')"
echo "== parity tests"
"$PY" -m pytest -p no:django -p no:randomly -q -rs \
    "ocr_gpu/tests/test_preprocess.py::test_cuda_backend_matches_cpu_backend" \
    "ocr_gpu/tests/test_gpu_parity.py" || true

# OCR_GPU_ENABLED switches both: the CUDA preprocessing backend and ONNX Runtime's CUDA provider.
for gpu in false true; do
    echo "== benchmark OCR_GPU_ENABLED=$gpu"
    OCR_GPU_ENABLED=$gpu "$PY" benchmarks/ocr_bench.py --per-level "$PER_LEVEL" --repeats 3 \
        --engines ppocr,ppocr-alone --out "$OUT/ocr_gpu_$gpu.json" >/dev/null
done

"$PY" - "$OUT/ocr_gpu_false.json" "$OUT/ocr_gpu_true.json" <<'PYEOF'
import json
import sys

print("| OCR_GPU_ENABLED | configuration | cards | number exact | all fields exact "
      "| p50 ms | p95 ms | worker RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    report = json.load(open(path))
    for config, run in report["runs"].items():
        a = run["groups"]["all"]
        print(f"| {report['gpu_enabled']} | {config} | {a['cards']} | {a['number_exact']}% "
              f"| {a['all_fields_exact']}% | {a['p50_ms']} | {a['p95_ms']} "
              f"| {run['peak_rss_mib']} |")
PYEOF
