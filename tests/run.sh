#!/bin/sh
# run.sh MODE BIN... - run each test program; MODE is "plain", "tsan"
# (a ThreadSanitizer build: run as is), "ubsan" (an UndefinedBehaviorSanitizer
# build: the first report stops the program with a stack) or "valgrind"
# (memcheck: any error or leak fails the program). Prints one
# closing line "check: N passed, N failed" counting the programs.
set -u
mode=$1; shift
passed=0; failed=0; failures=""
mkdir -p build/logs
[ "$mode" = ubsan ] && export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "$@"; do
    name=$(basename "$t")
    log=build/logs/$name.$mode.log
    if [ "$mode" = valgrind ]; then
        valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible "$t" >"$log" 2>&1
    else
        "$t" >"$log" 2>&1
    fi
    rc=$?
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1)); echo "  ok    $name ($mode)"
    else
        failed=$((failed + 1)); failures="$failures $name"
        echo "  FAIL  $name ($mode, exit $rc), log: $log"; tail -n 40 "$log"
    fi
done
echo "$mode: $passed passed, $failed failed"
[ $failed -eq 0 ]
