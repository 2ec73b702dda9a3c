#!/usr/bin/env bash
# The innermost loops of one kernel method as C2 compiled it, disassembled: how many instructions
# per FMA, and how many touch the stack (spilled registers). From the repository root, after
# building benchmarks/target/benchmarks.jar:
#
#   benchmarks/loops.sh conv.VectorGemm::sum6x2 'convnet.conv2/forward' [loops]
#
# METHOD is Class::method in io.github.purecnn.kernels; OPS a PlanMinima --ops regex that makes the
# method hot; LOOPS (default 3) how many of the smallest loops containing an FMA to print. Without
# an hsdis plug-in HotSpot prints machine code as hex; objdump (binutils) and python3 decode it.
# The last C2 compilation that is not an on-stack replacement is the one shown.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
method=$1; kernel=$2; loops=${3:-3}
jar=${BENCHMARKS_JAR:-benchmarks/target/benchmarks.jar}
[ -f "$jar" ] || { echo "no $jar: build it first (see benchmarks/README.md)" >&2; exit 2; }
command -v objdump > /dev/null || { echo "objdump missing: apt-get install -y binutils" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
  "-XX:CompileCommand=print,io.github.purecnn.kernels.$method" \
  -cp "$jar" io.github.purecnn.benchmarks.plans.PlanMinima --ops "$kernel" --rounds 20 > "$tmp/print.txt" 2>&1
python3 - "$tmp" <<'PY'
import re, sys
tmp = sys.argv[1]
lines = open(tmp + '/print.txt', errors='replace').read().split('\n')
starts = [i for i, l in enumerate(lines) if l.startswith('Compiled method (c2)') and ' % ' not in l]
if not starts:
    sys.exit('no C2 compilation of the method was printed')
print(lines[starts[-1]].strip())
code, base = bytearray(), None
for l in lines[starts[-1] + 1:]:
    if l.startswith('Compiled method'):
        break
    m = re.match(r'\s+0x([0-9a-f]+): ((?:[0-9a-f]{4} ?\|? ?)+)$', l)
    if m:
        addr = int(m.group(1), 16)
        base = addr if base is None else base
        if addr == base + len(code):
            code += bytes.fromhex(re.sub(r'[^0-9a-f]', '', m.group(2)))
open(tmp + '/code.bin', 'wb').write(code)
PY
objdump -D -b binary -mi386:x86-64 "$tmp/code.bin" > "$tmp/code.s"
python3 - "$tmp/code.s" "$loops" <<'PY'
import re, sys
ins = []
for l in open(sys.argv[1]):
    m = re.match(r'\s*([0-9a-f]+):\t[^\t]*\t(.*)', l)
    if m:
        ins.append((int(m.group(1), 16), m.group(2).strip()))
found = []
for addr, text in ins:
    m = re.match(r'j\w+\s+0x([0-9a-f]+)', text)
    if m and int(m.group(1), 16) < addr:
        body = [x for x in ins if int(m.group(1), 16) <= x[0] <= addr]
        if any('vfmadd' in t for _, t in body):
            found.append(body)
found.sort(key=len)
for body in found[:int(sys.argv[2])]:
    fma = sum('vfmadd' in t for _, t in body)
    spills = sum(bool(re.search(r'[xyz]mm\d+,-?0x[0-9a-f]+\(%rsp\)|\(%rsp\),%[xyz]mm', t)) for _, t in body)
    stack = sum('(%rsp)' in t for _, t in body)
    print(f'\nloop {body[0][0]:x}-{body[-1][0]:x}: {len(body)} instructions, {fma} FMAs, '
          f'{stack} touch the stack ({spills} of them vectors)')
    for _, t in body:
        print('    ' + t)
PY
