#!/bin/bash
# SPDX-License-Identifier: MIT
#
# vfpga rtl build: a small design (a counter on usr_irq_req, no AXI-Lite)
# becomes a plug-in that exports the user-logic entry point and that
# QEMU's board realizes with; a second run rebuilds nothing, an edited
# source is verilated again; a lint warning and a syntax error stop the
# build with the design's own file and line; bad command lines get the
# tool's exit statuses (2 bad command line, 1 failure).  TAP output.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
V=$TOP/build/userlib/vfpga
QEMU=$TOP/build/qemu/qemu-system-x86_64
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=../lib/tap.sh
. "$TOP/tests/lib/tap.sh"

write_design() {	# VALUE: the counter bit that drives usr_irq_req
	cat >"$TMP/tick.sv" <<EOT
// A counter whose bit $1 is usr_irq_req[0].
module tick (
    input  logic axi_aclk,
    input  logic axi_aresetn,
    output logic [0:0] usr_irq_req
);
    logic [7:0] n;
    always_ff @(posedge axi_aclk)
        if (!axi_aresetn) n <= 8'd0;
        else n <= n + 8'd1;
    assign usr_irq_req = n[$1];
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused;
    assign unused = &{1'b0, n};
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
EOT
}

exits_with() {		# STATUS COMMAND...
	local want=$1 got
	shift
	"$@"
	got=$?
	[ "$got" -eq "$want" ] || { echo "exit status $got, expected $want"; return 1; }
}

builds() {
	(cd "$TMP" && "$V" rtl build tick.sv) &&
		nm -D --defined-only "$TMP/tick.so" | grep -q ' T vfpga_user_logic_entry$' &&
		[ "$(nm -D --defined-only "$TMP/tick.so" | grep -c ' T ')" -eq 1 ]
}

# QEMU realizes a board with it: its qtree names the plug-in.
loads() {
	local id
	id=$(printf '%s\n' "info qtree" "quit" | timeout 30 "$QEMU" -M q35 \
		-accel tcg -nodefaults -display none -S -monitor stdio \
		-L /usr/share/seabios -L /usr/share/qemu \
		-device vfpga,user-logic="$TMP/tick.so",id=fpga 2>&1) ||
		{ echo "$id"; return 1; }
	grep -q 'user-logic = "'"$TMP"'/tick.so"' <<<"$id" || { echo "$id"; return 1; }
}

nothing_rebuilt() {
	local before after
	before=$(stat -c %Y.%s "$TMP/tick.so") obj=$(stat -c %Y "$TMP/tick.obj/Vrtl_top.mk")
	sleep 1
	(cd "$TMP" && "$V" rtl build tick.sv) >/dev/null || return 1
	after=$(stat -c %Y.%s "$TMP/tick.so")
	[ "$before" = "$after" ] && [ "$obj" = "$(stat -c %Y "$TMP/tick.obj/Vrtl_top.mk")" ]
}

edit_rebuilds() {
	local before
	before=$(stat -c %Y "$TMP/tick.so")
	sleep 1
	write_design 5
	(cd "$TMP" && "$V" rtl build tick.sv) >/dev/null || return 1
	[ "$(stat -c %Y "$TMP/tick.so")" != "$before" ] &&
		grep -q '5U' "$TMP/tick.obj/"Vrtl_top___024root__DepSet*.cpp
}

lint_names_line() {
	local out
	sed -i 's/assign usr_irq_req = n\[5\];/assign usr_irq_req = n;/' "$TMP/tick.sv"
	out=$(cd "$TMP" && "$V" rtl build tick.sv 2>&1)
	[ $? -eq 1 ] || { echo "$out"; return 1; }
	grep -q "%Warning-WIDTH: $TMP/tick.sv:11:" <<<"$out" || { echo "$out"; return 1; }
}

syntax_names_line() {
	local out
	sed -i 's/assign usr_irq_req = n;/assign usr_irq_req = n[0] +;/' "$TMP/tick.sv"
	out=$(cd "$TMP" && "$V" rtl build tick.sv 2>&1)
	[ $? -eq 1 ] || { echo "$out"; return 1; }
	grep -q "%Error: $TMP/tick.sv:11:" <<<"$out" || { echo "$out"; return 1; }
}

write_design 0
tap_plan 9
t rtl_build_makes_plugin builds
t rtl_plugin_loads_in_qemu loads
t rtl_rebuild_does_nothing nothing_rebuilt
t rtl_edit_rebuilds edit_rebuilds
t rtl_lint_warning_names_line lint_names_line
t rtl_syntax_error_names_line syntax_names_line
t rtl_missing_source_fails exits_with 1 "$V" rtl build "$TMP/none.sv"
t rtl_bad_top_name_refused exits_with 2 "$V" rtl build --top 9x "$TMP/tick.sv"
t rtl_no_sources_usage exits_with 2 "$V" rtl build
exit "$tap_failed"
