/*
 * embed.S - data files compiled into the binary, each NUL-terminated:
 * the shipped holiday calendar and the time-limit policies. Paths are
 * relative to the repository root, where make runs the compiler.
 */
	.section .rodata
	.global xf_calendar_json
	.type xf_calendar_json, @object
xf_calendar_json:
	.incbin "data/calendar/cn-holidays.json"
	.byte 0
	.global xf_policies_txt
	.type xf_policies_txt, @object
xf_policies_txt:
	.incbin "data/policy/policies.txt"
	.byte 0
	.section .note.GNU-stack,"",@progbits
