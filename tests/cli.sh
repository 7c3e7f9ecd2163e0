#!/bin/sh
# cli.sh NTSEC - the CLI contract of `ntsec sddl` (issue 3): one output line
# per input, lowercase hex from encode, canonical SDDL from decode, "error:"
# lines naming the status for rejected input, exit 0 only when all converted.
# Then access, whoami and demo (issue 6), and demo com (issue 7), each
# with the rule it checks.
set -u
ntsec=$1
passed=0; failed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

ok()   { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
expect_eq() { [ "$2" = "$3" ] && ok || fail "$1: expected [$3], got [$2]"; }

# encode: a known descriptor, byte-exact. O:BAG:SYD:(A;;GA;;;WD) is
# the 20-byte header, DACL (28), owner (16), group (12), in the order
# Windows writes them: SACL, DACL, owner, group (so the DACL is at 0x14).
out=$("$ntsec" sddl encode 'O:BAG:SYD:(A;;GA;;;WD)'); rc=$?
expect_eq "encode exit" "$rc" 0
expect_eq "encode hex" "$out" "010004803000000040000000000000001400000002001c0001000000000014000000001001010000000000010000000001020000000000052000000020020000010100000000000512000000"
case "$out" in *[A-F]*) fail "encode prints lowercase hex";; *) ok;; esac

# decode gives canonical SDDL back.
out=$("$ntsec" sddl decode "$("$ntsec" sddl encode 'O:BAG:SYD:(A;;GA;;;WD)')")
expect_eq "decode round trip" "$out" "O:BAG:SYD:(A;;GA;;;WD)"

# rejected input: one "error:" line with the status name, exit 1.
out=$("$ntsec" sddl encode 'D:(Q;;GA;;;WD)'); rc=$?
expect_eq "encode bad exit" "$rc" 1
case "$out" in "error: STATUS_"*" at offset "*) ok;; *) fail "encode bad line: [$out]";; esac

out=$("$ntsec" sddl decode 'zz01'); rc=$?
expect_eq "decode bad hex exit" "$rc" 1
case "$out" in "error: STATUS_INVALID_PARAMETER at offset 0"*) ok;; *) fail "decode bad hex line: [$out]";; esac

out=$("$ntsec" sddl decode '0100048014000000'); rc=$?
expect_eq "decode truncated exit" "$rc" 1
case "$out" in "error: STATUS_INVALID_SECURITY_DESCR"*) ok;; *) fail "decode truncated line: [$out]";; esac

# stdin: exactly one output line per input line, in order, errors included.
printf 'O:SYD:(A;;FA;;;SY)\nnot sddl\nD:P(D;OICI;GA;;;AN)(A;;GR;;;WD)\n' > "$tmp/in"
"$ntsec" sddl encode - < "$tmp/in" > "$tmp/out"; rc=$?
expect_eq "stdin exit with one bad" "$rc" 1
expect_eq "stdin line count" "$(wc -l < "$tmp/out" | tr -d ' ')" 3
expect_eq "stdin bad line in place" "$(sed -n 2p "$tmp/out" | cut -c1-6)" "error:"
grep -v '^error:' "$tmp/out" | "$ntsec" sddl decode - > "$tmp/back"; rc=$?
expect_eq "stdin decode exit" "$rc" 0
expect_eq "stdin decode first" "$(sed -n 1p "$tmp/back")" "O:SYD:(A;;FA;;;SY)"
expect_eq "stdin decode second" "$(sed -n 2p "$tmp/back")" "D:P(D;OICI;GA;;;AN)(A;;GR;;;WD)"

# --domain-sid resolves domain aliases both ways.
dom=S-1-5-21-1004336348-1177238915-682003330
hex=$("$ntsec" sddl encode --domain-sid $dom 'O:DAG:DUD:(A;;GA;;;DA)'); rc=$?
expect_eq "domain encode exit" "$rc" 0
expect_eq "domain round trip" "$("$ntsec" sddl decode --domain-sid $dom "$hex")" "O:DAG:DUD:(A;;GA;;;DA)"
expect_eq "domain-less decode writes the SID" "$("$ntsec" sddl decode "$hex" | cut -c1-30)" "O:S-1-5-21-1004336348-11772389"

# explain names owner, group and each ACE's trustee and rights.
"$ntsec" sddl explain 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(D;;WD;;;WD)' > "$tmp/explain"; rc=$?
expect_eq "explain exit" "$rc" 0
grep -q 'BUILTIN\\Administrators (S-1-5-32-544)' "$tmp/explain" && ok || fail "explain owner"
grep -q 'Everyone (S-1-1-0)' "$tmp/explain" && ok || fail "explain trustee"
grep -qi 'deny' "$tmp/explain" && ok || fail "explain deny"
grep -q 'WRITE_DAC' "$tmp/explain" && ok || fail "explain right name"

# access check: a deny ACE before an allow decides the bit it names
# ("How DACLs Control Access to an Object", Microsoft docs).
out=$("$ntsec" access check --sd 'O:BAG:SYD:(D;;WD;;;BU)(A;;FA;;;BU)' --desired 'FILE_GENERIC_READ|WRITE_DAC' --group BU); rc=$?
expect_eq "access denied exit" "$rc" 1
echo "$out" | grep -q '^status:  STATUS_ACCESS_DENIED$' && ok || fail "access denied status: [$out]"
echo "$out" | grep -q '^granted: 0x00000000' && ok || fail "access denied grants nothing"
out=$("$ntsec" access check --sd 'O:BAG:SYD:(D;;WD;;;BU)(A;;FA;;;BU)' --desired FILE_GENERIC_READ --group BU); rc=$?
expect_eq "access granted exit" "$rc" 0
echo "$out" | grep -q '^granted: 0x00120089' && ok || fail "access granted mask: [$out]"
# MAXIMUM_ALLOWED gives what the DACL allows; a deny-only group matches
# only deny ACEs.
out=$("$ntsec" access check --sd 'O:BAG:SYD:(A;;0x120089;;;BU)(A;;0x120116;;;BA)' --desired MAXIMUM_ALLOWED --group BU --group BA:deny-only)
echo "$out" | grep -q '^granted: 0x00120089' && ok || fail "maximum allowed: [$out]"
# --explain reports each ACE step in words.
out=$("$ntsec" access check --sd 'O:BAG:SYD:(D;;WD;;;BU)(A;;FA;;;BU)' --desired WRITE_DAC --group BU --explain)
echo "$out" | grep -q 'denies WRITE_DAC' && ok || fail "explain deny step: [$out]"
# --as USER runs the check with a world account's logon token. bob is an
# administrator, but his interactive token is UAC-filtered: Administrators
# is deny-only there ("How User Account Control works", Microsoft docs).
out=$("$ntsec" access check --as alice --sd 'O:BAG:SYD:(A;;FR;;;BU)(A;;FA;;;BA)' --desired MAXIMUM_ALLOWED)
echo "$out" | grep -q '^granted: 0x00120089' && ok || fail "--as alice: [$out]"
out=$("$ntsec" access check --as bob --sd 'O:BAG:SYD:(A;;FA;;;BA)' --desired MAXIMUM_ALLOWED); rc=$?
expect_eq "--as bob filtered admin exit" "$rc" 1
"$ntsec" access check --as nobody-such --sd 'D:' --desired 1 >/dev/null 2>&1; expect_eq "--as unknown exit" "$?" 2
# A bad option value is a usage error.
"$ntsec" access check --sd 'D:' --desired NOT_A_RIGHT >/dev/null 2>&1; expect_eq "access bad mask exit" "$?" 2

# usage errors exit 2.
"$ntsec" sddl frobnicate >/dev/null 2>&1; expect_eq "usage exit" "$?" 2

# whoami (Windows' whoami.exe): without options one DOMAIN\user line, in
# lower case as whoami writes it; /all the user, group and privilege
# tables; the token is the process' own, made from the Linux credentials
# (root: BUILTIN\Administrators and High integrity; docs/linux.md).
out=$("$ntsec" whoami); rc=$?
expect_eq "whoami exit" "$rc" 0
expect_eq "whoami one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
case "$out" in *\\*) ok;; *) fail "whoami DOMAIN\\user: [$out]";; esac
case "$out" in *[A-Z]*) fail "whoami lower case: [$out]";; *) ok;; esac
"$ntsec" whoami /all > "$tmp/whoami"; rc=$?
expect_eq "whoami /all exit" "$rc" 0
for section in "USER INFORMATION" "GROUP INFORMATION" "PRIVILEGES INFORMATION"; do
    grep -qx "$section" "$tmp/whoami" && ok || fail "whoami /all section $section"
done
grep -q "^$(printf '%s' "$out" | sed 's/\\/\\\\/g') *S-1-" "$tmp/whoami" && ok || fail "whoami /all user row"
grep -q '^Everyone  *Well-known group S-1-1-0  *Mandatory group, Enabled by default, Enabled group$' "$tmp/whoami" \
    && ok || fail "whoami /all Everyone row"
grep -q '^SeChangeNotifyPrivilege  *Bypass traverse checking  *Enabled$' "$tmp/whoami" \
    && ok || fail "whoami /all SeChangeNotifyPrivilege enabled"
if [ "$(id -u)" = 0 ]; then level=High; else level=Medium; fi
grep -q "^Mandatory Label\\\\$level Mandatory Level  *Label  *S-1-16-" "$tmp/whoami" \
    && ok || fail "whoami /all integrity $level"
if [ "$(id -u)" = 0 ]; then
    grep -q '^BUILTIN\\Administrators .*Group owner$' "$tmp/whoami" && ok || fail "whoami root is an administrator"
fi
# --as USER: the token an interactive logon of alice gets from the world.
out=$("$ntsec" whoami --as alice 2>"$tmp/err"); rc=$?
expect_eq "whoami --as alice exit" "$rc" 0
case "$out" in *\\alice) ok;; *) fail "whoami --as alice user: [$out]";; esac
"$ntsec" whoami /groups --as alice > "$tmp/alice"; rc=$?
expect_eq "whoami --as alice /groups exit" "$rc" 0
grep -q '^NT AUTHORITY\\INTERACTIVE ' "$tmp/alice" && ok || fail "alice has INTERACTIVE"
grep -q '^BUILTIN\\Users ' "$tmp/alice" && ok || fail "alice is in Users"
grep -q '^Mandatory Label\\Medium Mandatory Level ' "$tmp/alice" && ok || fail "alice is at Medium"
"$ntsec" whoami --as nosuchuser >/dev/null 2>&1; expect_eq "whoami unknown user exit" "$?" 1
"$ntsec" whoami /frobnicate >/dev/null 2>&1; expect_eq "whoami bad option exit" "$?" 2

# demo: `ntsec demo` runs every part, `ntsec demo impersonation` the
# client-and-service tour alone. The tour's lines are libsec's answers, so
# these checks fail when a rule changes (docs/impersonation.md, sources).
"$ntsec" demo > "$tmp/demo"; rc=$?
expect_eq "demo exit" "$rc" 0
grep -q '^ntsec demo: security descriptors' "$tmp/demo" && ok || fail "demo runs the descriptor part"
grep -q '^ntsec demo: a client and a service' "$tmp/demo" && ok || fail "demo runs the impersonation part"
"$ntsec" demo impersonation > "$tmp/imp"; rc=$?
expect_eq "demo impersonation exit" "$rc" 0
grep -q '^ntsec demo: security descriptors' "$tmp/imp" && fail "demo impersonation runs only its part" || ok
"$ntsec" demo frobnicate >/dev/null 2>&1; expect_eq "demo unknown part exit" "$?" 2
# Every call line names the status and its code; every actor says who it is.
bad=$(grep -e ' -> ' "$tmp/imp" | grep -Ev ' -> STATUS_[A-Z_]+ \(0x[0-9a-f]{8}\)' | head -1)
expect_eq "demo call lines give status name and code" "$bad" ""
for who in client service service2; do
    grep -q "^   \[$who\] *who am I: CONTOSO\\\\" "$tmp/imp" && ok || fail "demo: $who says who it is"
done
part() { sed -n "/^== $1\\./,/^== /p" "$tmp/imp"; }
level() { part 1 | sed -n "/-- Security$1\$/,/-- Security\\|^== /p"; }
# Impersonation Levels (Microsoft docs): Anonymous: no AccessCheck
# (STATUS_BAD_IMPERSONATION_LEVEL); Identification: AccessCheck works, opening
# an object as the client does not; Impersonation: both.
level Anonymous | grep -q 'AccessCheck(.*-> STATUS_BAD_IMPERSONATION_LEVEL (0xc00000a5)' \
    && ok || fail "demo: AccessCheck refuses an Anonymous token"
level Identification | grep -q 'AccessCheck(.*-> STATUS_SUCCESS (0x00000000): access STATUS_SUCCESS' \
    && ok || fail "demo: AccessCheck works at Identification"
level Identification | grep -q 'as the client -> STATUS_BAD_IMPERSONATION_LEVEL (0xc00000a5)' \
    && ok || fail "demo: no object open as an Identification client"
level Impersonation | grep -q 'as the client -> STATUS_SUCCESS (0x00000000)' \
    && ok || fail "demo: object open as an Impersonation client"
# SeCreateClientSecurity (Microsoft docs): refused for a client at
# Anonymous or Identification.
level Identification | grep -q 'SeCreateClientSecurity(.*-> STATUS_BAD_IMPERSONATION_LEVEL' \
    && ok || fail "demo: no context of an Identification client"
# Dynamic tracking sees the client's later change; static does not
# (SECURITY_QUALITY_OF_SERVICE, Microsoft docs).
part 3 | sed -n '/AdjustTokenPrivileges(enable/,$p' > "$tmp/after"
grep -q 'the dynamic context sees SeShutdownPrivilege: enabled$' "$tmp/after" \
    && ok || fail "demo: the dynamic context sees the privilege change"
grep -q 'the static context sees SeShutdownPrivilege: disabled$' "$tmp/after" \
    && ok || fail "demo: the static context does not see the change"
grep -q 'the static context sees SeShutdownPrivilege: enabled' "$tmp/imp" \
    && fail "demo: the static context never sees the change" || ok
part 3 | sed '/AdjustTokenPrivileges(enable/,$d' | grep -q 'the dynamic context sees SeShutdownPrivilege: disabled$' \
    && ok || fail "demo: the dynamic context saw it disabled before the change"
# A remote server needs a client at Delegation (SeCreateClientSecurity).
part 4 | grep -q 'SeCreateClientSecurity(client, Impersonation, .*remote server) -> STATUS_BAD_IMPERSONATION_LEVEL (0xc00000a5)$' \
    && ok || fail "demo: remote server refused below Delegation"
part 4 | grep -q 'SeCreateClientSecurity(client, Delegation, .*remote server) -> STATUS_SUCCESS (0x00000000)$' \
    && ok || fail "demo: remote server accepted at Delegation"
# Without SeImpersonatePrivilege the impersonation succeeds at
# Identification, on a copy ("Client Impersonation", Microsoft docs).
part 5 | grep -q '^   \[service2\] SeImpersonateClientEx(.*-> STATUS_SUCCESS (0x00000000)$' \
    && ok || fail "demo: service2's impersonation succeeds"
part 5 | grep -q '^   \[service2\] who am I: CONTOSO\\alice, impersonating at Identification$' \
    && ok || fail "demo: service2 is downgraded to Identification"
part 5 | grep -q 'an Identification copy' && ok || fail "demo: service2's token is a copy"
part 5 | grep -q '^   \[service2\] open .*as the client -> STATUS_BAD_IMPERSONATION_LEVEL (0xc00000a5)$' \
    && ok || fail "demo: service2 cannot open objects as the client"

# demo com: a COM chain WORKSTATION -> SERVER1 -> SERVER2 through the
# native COM API; every identity is what IServerSecurity::QueryBlanket and
# the impersonation token said. At Impersonate level the second hop is
# refused ("Cloaking": one computer boundary); at Delegate level with a
# server trusted for delegation the back end sees alice; without cloaking
# it sees the middle tier's machine account ("LocalSystem Account");
# carol, "sensitive and cannot be delegated", is not delegated.
"$ntsec" demo com --mermaid "$tmp/com.mmd" --svg "$tmp/com.svg" > "$tmp/com"; rc=$?
expect_eq "demo com exit" "$rc" 0
grep -q '^ntsec demo: a COM call chain' "$tmp/demo" && ok || fail "demo runs the com part"
scene() { sed -n "/^== $1\./,/^== /p" "$tmp/com"; }
hop() { scene "$1" | grep "^   $2   "; }
hop 1 1 | grep -q 'middle.exe, SERVER1 *CONTOSO\\alice *Impersonation *PKT_INTEGRITY *E_ACCESSDENIED (0x80070005)$' \
    && ok || fail "demo com 1: the middle tier sees alice at Impersonation: [$(hop 1 1)]"
hop 1 2 | grep -q '(not reached) .*E_ACCESSDENIED (0x80070005)$' && ok || fail "demo com 1: the second hop is refused"
hop 2 1 | grep -q 'CONTOSO\\alice *Delegation ' && ok || fail "demo com 2: the middle tier gets Delegation"
hop 2 2 | grep -q 'backend.exe, SERVER2 *CONTOSO\\alice *Impersonation *PKT_PRIVACY *S_OK (0x00000000)$' \
    && ok || fail "demo com 2: the back end sees alice: [$(hop 2 2)]"
hop 3 2 | grep -q 'CONTOSO\\SERVER1\$ .*S_OK' && ok || fail "demo com 3: without cloaking the back end sees SERVER1\$"
hop 4 1 | grep -q 'CONTOSO\\carol *Impersonation ' && ok || fail "demo com 4: carol is not delegated"
hop 4 2 | grep -q 'E_ACCESSDENIED' && ok || fail "demo com 4: carol's second hop is refused"
expect_eq "demo com mermaid header" "$(head -1 "$tmp/com.mmd")" "sequenceDiagram"
grep -q '^    M->>B: impersonating CONTOSO\\alice' "$tmp/com.mmd" && ok || fail "demo com mermaid: the second hop"
grep -q '^    M-xB: .*E_ACCESSDENIED' "$tmp/com.mmd" && ok || fail "demo com mermaid: a refused hop is crossed"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/com.svg" && ok || fail "demo com svg root"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$tmp/com.svg" && ok || fail "demo com svg is well-formed XML"
else
    echo "  info  xmllint not installed (Debian libxml2-utils): SVG well-formedness not checked"
fi
"$ntsec" demo com --frobnicate >/dev/null 2>&1; expect_eq "demo com bad option exit" "$?" 2
"$ntsec" demo com --svg "$tmp/no/such/dir.svg" >/dev/null 2>&1; expect_eq "demo com unwritable file exit" "$?" 1
"$ntsec" demo impersonation --svg x >/dev/null 2>&1; expect_eq "demo impersonation takes no option" "$?" 2

# Throughput (reported, not asserted): thousands of lines per second.
i=0; : > "$tmp/many"
while [ $i -lt 2000 ]; do echo "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICIIO;GA;;;CO)(A;;0x1200a9;;;BU)" >> "$tmp/many"; i=$((i + 1)); done
start=$(date +%s%N)
"$ntsec" sddl encode - < "$tmp/many" > "$tmp/many.out"
end=$(date +%s%N)
expect_eq "bulk line count" "$(wc -l < "$tmp/many.out" | tr -d ' ')" 2000
echo "  info  2000 lines encoded in $(( (end - start) / 1000000 )) ms"

echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
