#!/usr/bin/env bash
# Training throughput of `lofi-render train` next to the PyTorch reference
# (scripts/bench/reference-train.py), alternating the two on the same samples so
# that both see the same machine. Prints the CPU model, each side's BLAS and kernels, then
# each run's median samples/s over epochs 2..6.
#
# usage: scripts/bench/train-throughput.sh DATA_DIR [ROUNDS] [extra train options...]
# env:   PYTHON   a Python with torch and numpy (default /tmp/torchenv/bin/python)
#        LOFI     the lofi-render binary (default .build/release/lofi-render)
set -euo pipefail
data=${1:?usage: train-throughput.sh DATA_DIR [ROUNDS] [train options...]}
rounds=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
python=${PYTHON:-/tmp/torchenv/bin/python}
lofi=${LOFI:-.build/release/lofi-render}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
"$lofi" --version | tail -n +2 | sed 's/^/lofi-render: /'
"$python" -c "import torch; print(f'reference: PyTorch {torch.__version__}, BLAS', 'MKL' if torch.backends.mkl.is_available() else 'other')"
for r in $(seq "$rounds"); do
    ref=$("$python" "$here/reference-train.py" "$data" --epochs 6 --batch-size 128 --threads 2 | tail -1 | awk '{print $NF}')
    ours=$("$lofi" train --data "$data" -o "$out/model.safetensors" --force --epochs 6 --batch-size 128 "$@" 2>&1 \
        | tr '\r' '\n' | grep -o '[0-9]* samples/s' | awk 'NR > 1 {print $1}' | median)
    echo "round $r: reference $ref samples/s, lofi-render $ours samples/s, ratio $(awk -v a="$ours" -v b="$ref" 'BEGIN {printf "%.2f", a / b}')"
done
