#!/bin/sh
# bench_chart.sh - draw a benchmark's rows as an SVG chart: one horizontal
# bar per row, its median ns per operation on a log scale, coloured by
# group, in the order of the table.
#
#   sh scripts/bench_chart.sh build/bench_impersonate.json docs/perf/impersonate.svg
#
# It reads the JSON bench_impersonate writes (one row object per line; no
# JSON tool needed) and draws with gnuplot (Debian's gnuplot-nox, which
# `scripts/deps.sh bench` installs). Without gnuplot it says so and exits 0:
# the chart is a view of the JSON, never a reason for `make bench` to fail.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 RESULTS.json OUT.svg" >&2
    exit 2
fi
json=$1
out=$2
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "bench_chart: gnuplot not installed (sh scripts/deps.sh bench): no chart" >&2
    exit 0
fi

data=$(mktemp)
trap 'rm -f "$data"' EXIT

# group<TAB>case<TAB>median ns<TAB>group number, one line per row.
sed -n 's/.*"group": "\([^"]*\)", "case": "\([^"]*\)", "median_ns": \([0-9.]*\).*/\1\t\2\t\3/p' \
    "$json" | awk -F '\t' '!($1 in g) { g[$1] = ++n } { print $0 "\t" g[$1] }' > "$data"
rows=$(wc -l < "$data")
if [ "$rows" -eq 0 ]; then
    echo "bench_chart: no rows in $json" >&2
    exit 1
fi
date=$(sed -n 's/.*"date": "\([^"]*\)".*/\1/p' "$json")
# The limit row, when there is one, is drawn as a dashed line across.
limit=$(awk -F '\t' '$2 ~ /^limit/ { print $3; exit }' "$data")
limit_line=""
if [ -n "$limit" ]; then
    limit_line="set arrow from $limit, graph 0 to $limit, graph 1 nohead dashtype 2 lc rgb '#555555'"
fi
height=$((rows * 24 + 110))

gnuplot <<EOF
set terminal svg size 1100,$height dynamic font "sans,12" background "white"
set output "$out"
set datafile separator "\t"
set title "Median ns per operation, one run of bench_impersonate ($date)" noenhanced
set logscale x 10
set xrange [1:1e7]
set format x "10^{%L}"
set xlabel "ns per operation (log scale; shorter is faster)"
set yrange [$rows - 0.5:-0.5]
set ytics nomirror noenhanced font "sans,11"
set xtics nomirror
set grid xtics
set border 3
unset key
set style fill solid 0.85 noborder
set palette maxcolors 8
set palette defined (1 "#7f7f7f", 2 "#1f77b4", 3 "#2ca02c", 4 "#17becf", 5 "#9467bd", \
                     6 "#ff7f0e", 7 "#d62728", 8 "#8c564b")
set cbrange [0.5:8.5]
unset colorbox
$limit_line
plot "$data" using 3:0:(1):3:(\$0 - 0.38):(\$0 + 0.38):4:ytic(sprintf("%s: %s", stringcolumn(1), stringcolumn(2))) \
         with boxxyerror lc palette, \
     "" using (\$3 * 1.15):0:(sprintf("%.0f", \$3)) with labels left font "sans,10"
EOF
echo "bench_chart: wrote $out"
