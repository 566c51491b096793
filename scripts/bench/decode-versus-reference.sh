#!/usr/bin/env bash
# Decoding speed of `lofi-render bench` next to the original Lofi decoder in PyTorch
# (scripts/bench/reference-decode.py), alternating the two so that both see the same
# machine. Prints the CPU model, each side's BLAS and kernels, then per round the
# per-song times at batch 1 and 256 and the ratios (reference as its server runs it).
#
# usage: scripts/bench/decode-versus-reference.sh LOFI_CHECKOUT [ROUNDS] [bench options...]
#        LOFI_CHECKOUT: a clone of https://github.com/jacbz/Lofi (read, not modified)
# env:   PYTHON   a Python with torch and numpy (default /tmp/torchenv/bin/python)
#        LOFI     the lofi-render binary (default .build/release/lofi-render)
set -euo pipefail
checkout=${1:?usage: decode-versus-reference.sh LOFI_CHECKOUT [ROUNDS] [bench options...]}
rounds=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
python=${PYTHON:-/tmp/torchenv/bin/python}
lofi=${LOFI:-.build/release/lofi-render}
here=$(cd "$(dirname "$0")" && pwd)

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
"$lofi" --version | sed 's/^/lofi-render: /'
for r in $(seq "$rounds"); do
    ref=$("$python" "$here/reference-decode.py" "$checkout")
    [ "$r" -eq 1 ] && echo "$ref" | head -2 | sed 's/^/reference: /'
    ours=$("$lofi" bench "$@" --batch 1 --batch 256 --songs 1024)
    r1=$(echo "$ref" | awk -F': ' '/^batch 1, as the server/ {print $2+0}')
    r256=$(echo "$ref" | awk -F': ' '/^batch 256, as the server/ {print $2+0}')
    n1=$(echo "$ref" | awk -F': ' '/^batch 1, no_grad/ {print $2+0}')
    n256=$(echo "$ref" | awk -F': ' '/^batch 256, no_grad/ {print $2+0}')
    o1=$(echo "$ours" | awk '/^batch +1:/ {print $3}')
    o256=$(echo "$ours" | awk '/^batch +256:/ {print $3}')
    printf 'round %d: batch 1: reference %.2f ms (no_grad %.2f), lofi-render %.3f ms, ratio %.0fx (%.0fx); batch 256: reference %.3f ms (no_grad %.3f), lofi-render %.3f ms, ratio %.1fx (%.1fx)\n' \
        "$r" "$r1" "$n1" "$o1" "$(awk -v a="$r1" -v b="$o1" 'BEGIN {print a / b}')" "$(awk -v a="$n1" -v b="$o1" 'BEGIN {print a / b}')" \
        "$r256" "$n256" "$o256" "$(awk -v a="$r256" -v b="$o256" 'BEGIN {print a / b}')" "$(awk -v a="$n256" -v b="$o256" 'BEGIN {print a / b}')"
done
