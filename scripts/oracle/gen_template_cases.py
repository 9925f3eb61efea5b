#!/usr/bin/env python3
"""Generate the rudder-template conformance fixtures from the oracle.

Every expected output and error text in crates/rudder-template/tests/data/
comes from real Helm (helmcase.render_case), never from rudder. Cases use
only Go's builtin template functions, literals and data, because the
template crate's tests run without Sprig.

    python3 scripts/oracle/gen_template_cases.py

Each group becomes tests/data/cases/<group>.json:
    {"group": ..., "cases": [{"name", "template", "values", "helpers",
                              "output"} | {..., "error": {"go", "helm"}}]}
`values` is the JSON document given to Helm as values.yaml (JSON is YAML);
the runner builds .Values from the same JSON. `error.go` is Go's error text
(when Helm's reformatting can be undone losslessly), `error.helm` Helm's.
Cases whose Go error cannot be recovered (go_error is None) are dropped:
they belong to the render layer's tests.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helmcase  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-template", "tests", "data")

V = {
    "s": "str", "e": "", "f": 1.5, "n": 3, "z": 0, "neg": -2, "big": 1000000,
    "small": 0.00001, "huge": 1e21, "t": True, "no": False,
    "list": ["a", "b", "c"], "nums": [1, 2.5, 3], "empty": [],
    "m": {"a": 1, "b": "two", "c": [1, 2], "d": {"x": "y"}},
    "em": {}, "nested": {"l1": {"l2": {"l3": "deep"}}}, "nul": None,
    "html": "<a href=\"x\">'&'</a>", "mixed": [1, "a", True, None, {"k": "v"}, [1]],
    "keys": {"b": 2, "a": 1, "c": 3, "B": 0, "_": 9},
    "objs": [{"name": "x", "port": 80}, {"name": "y", "port": 443}],
    "pct": "100%", "multi": "line1\nline2", "uni": "héllo ☃",
    "Key": "upper", "under_score": "u", "num_str": "42",
}

GROUPS = {}


def group(name):
    def deco(fn):
        GROUPS[name] = fn
        return fn
    return deco


def c(name, template, values=None, helpers=None, files=None):
    """`files` maps extra chart paths (under templates/) to their text."""
    return {"name": name, "template": template, "values": values, "helpers": helpers,
            "files": files}


@group("text_and_trim")
def text_and_trim():
    return [
        c("plain_text", "hello world\n"),
        c("empty_template", ""),
        c("only_spaces", "  \n\t "),
        c("unicode_text", "héllo ☃ {{ \"x\" }}"),
        c("trim_left", "a   \n\t {{- \"b\" }}"),
        c("trim_right", "{{ \"a\" -}}   \n  b"),
        c("trim_both", "x \n {{- \"y\" -}} \n z"),
        c("trim_tab", "x\t{{-\t\"y\"\t-}}\tz"),
        c("trim_newline_marker", "x\n{{-\n\"y\"\n-}}\nz"),
        c("minus_number_not_trim", "x {{-3}} y"),
        c("minus_number_right", "x {{3 -}} y"),
        c("trim_keeps_other_ws", "a\u00a0{{- \"b\" }}"),
        c("trim_all_consecutive", "a\n\n\n   {{- \"b\" -}}\n\n\n   c"),
        c("comment", "a{{/* comment */}}b"),
        c("comment_multiline", "a{{/* line1\nline2 */}}b"),
        c("comment_trim", "a  {{- /* c */ -}}  b"),
        c("comment_trim_left_only", "a  {{- /* c */}}  b"),
        c("comment_with_braces", "a{{/* {{ }} */}}b"),
        c("comment_space_before_close", "{{/* c */ }}"),
        c("comment_unclosed", "{{/* c "),
        c("comment_not_at_start", "{{ /* c */ }}"),
        c("text_with_single_brace", "a { b } c {"),
        c("text_right_delim", "a }} b"),
        c("action_newlines", "{{\n\"a\"\n}}"),
        c("action_spaces", "{{   \"a\"   }}"),
        c("crlf_text", "a\r\n{{- \"b\" }}\r\n"),
        c("nested_quotes_in_text", "\"{{ \"q\" }}\""),
        c("template_with_only_define", "{{ define \"x\" }}X{{ end }}"),
        c("text_after_define", "{{ define \"x\" }}X{{ end }}after"),
        c("trim_then_eof", "a {{- \"\" }}"),
    ]


@group("literals")
def literals():
    return [
        c("string", '{{ "hello" }}'),
        c("string_escapes", '{{ "a\\tb\\nc\\\\d\\"e" }}'),
        c("string_hex_escape", '{{ "\\x41\\x42" }}'),
        c("string_octal_escape", '{{ "\\101\\102" }}'),
        c("string_unicode_escape", '{{ "\\u00e9\\U0001F600" }}'),
        c("string_bad_escape", '{{ "\\q" }}'),
        c("string_single_quote_escape", '{{ "\\\'" }}'),
        c("string_unterminated", '{{ "abc }}'),
        c("string_newline", '{{ "a\nb" }}'),
        c("raw_string", '{{ `a\\nb` }}'),
        c("raw_string_newline", '{{ `a\nb` }}'),
        c("raw_string_cr", '{{ `a\r\nb` }}'),
        c("raw_string_unterminated", '{{ `abc }}'),
        c("char_a", "{{ 'a' }}"),
        c("char_escape", "{{ '\\n' }}"),
        c("char_unicode", "{{ '☃' }}"),
        c("char_hex", "{{ '\\x41' }}"),
        c("char_malformed", "{{ 'ab' }}"),
        c("char_empty", "{{ '' }}"),
        c("char_unterminated", "{{ 'a }}"),
        c("char_printf_type", "{{ printf \"%T\" 'a' }}"),
        c("int", "{{ 42 }}"),
        c("int_negative", "{{ -42 }}"),
        c("int_plus", "{{ +42 }}"),
        c("int_hex", "{{ 0x1F }}"),
        c("int_hex_upper", "{{ 0X1f }}"),
        c("int_hex_with_e", "{{ 0x1E }}"),
        c("int_octal_leading_zero", "{{ 017 }}"),
        c("int_octal_prefix", "{{ 0o17 }}"),
        c("int_binary", "{{ 0b101 }}"),
        c("int_underscore", "{{ 1_000_000 }}"),
        c("int_bad_underscore", "{{ 1__0 }}"),
        c("int_trailing_underscore", "{{ 10_ }}"),
        c("int_089", "{{ 089 }}"),
        c("int_max", "{{ 9223372036854775807 }}"),
        c("int_min", "{{ -9223372036854775808 }}"),
        c("uint_max_overflows", "{{ 18446744073709551615 }}"),
        c("int_too_big", "{{ 99999999999999999999 }}"),
        c("int_type", "{{ printf \"%T\" 3 }}"),
        c("neg_hex_with_e_type", "{{ printf \"%T %v\" -0x1E -0x1E }}"),
        c("float", "{{ 1.5 }}"),
        c("float_whole", "{{ 3.0 }}"),
        c("float_exp", "{{ 1e3 }}"),
        c("float_big_exp", "{{ 1e6 }}"),
        c("float_small", "{{ 0.00001 }}"),
        c("float_leading_dot", "{{ .5 }}"),
        c("float_trailing_dot", "{{ 1. }}"),
        c("float_neg_exp", "{{ 2.5e-3 }}"),
        c("float_type", "{{ printf \"%T\" 1.0 }}"),
        c("float_overflow", "{{ 1e400 }}"),
        c("float_hex", "{{ 0x1p-2 }}"),
        c("float_underscore", "{{ 1_000.5 }}"),
        c("bad_number", "{{ 3x }}"),
        c("bad_number_dot", "{{ 1.2.3 }}"),
        c("lone_minus", "{{ - }}"),
        c("complex_literal_parse", "{{ if false }}{{ 1+2i }}{{ end }}ok"),
        c("imaginary_parse_only", "{{ if false }}{{ 2i }}{{ end }}ok"),
        c("bad_complex", "{{ 1-2 }}"),
        c("bool_true", "{{ true }}"),
        c("bool_false", "{{ false }}"),
        c("nil_command", "{{ nil }}"),
        c("nil_arg_printf", "{{ printf \"%v\" nil }}"),
        c("dot_data", "{{ .Values.s }}"),
        c("number_as_function", "{{ 1 2 }}"),
        c("string_as_function", '{{ "a" "b" }}'),
        c("unexpected_dot_after_string", '{{ "a".b }}'),
        c("unexpected_dot_after_number", "{{ 1.b }}"),
        c("unexpected_dot_after_nil", "{{ nil.b }}"),
        c("unexpected_dot_after_bool", "{{ true.b }}"),
    ]


@group("printing")
def printing():
    return [
        c("print_string", "{{ .Values.s }}"),
        c("print_empty_string", "[{{ .Values.e }}]"),
        c("print_float", "{{ .Values.f }}"),
        c("print_float_int", "{{ .Values.n }}"),
        c("print_float_zero", "{{ .Values.z }}"),
        c("print_float_neg", "{{ .Values.neg }}"),
        c("print_float_million", "{{ .Values.big }}"),
        c("print_float_small", "{{ .Values.small }}"),
        c("print_float_huge", "{{ .Values.huge }}"),
        c("print_bool", "{{ .Values.t }} {{ .Values.no }}"),
        c("print_list", "{{ .Values.list }}"),
        c("print_nums", "{{ .Values.nums }}"),
        c("print_empty_list", "{{ .Values.empty }}"),
        c("print_map", "{{ .Values.m }}"),
        c("print_empty_map", "{{ .Values.em }}"),
        c("print_nested", "{{ .Values.nested }}"),
        c("print_mixed", "{{ .Values.mixed }}"),
        c("print_keys_sorted", "{{ .Values.keys }}"),
        c("print_objs", "{{ .Values.objs }}"),
        c("print_missing", "[{{ .Values.missing }}]"),
        c("print_null_key", "[{{ .Values.nul }}]"),
        c("print_values", "{{ .Values.m.d }}"),
        c("print_release", "{{ .Release }}"),
        c("print_release_fields", "{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Service }}"),
        c("print_template", "{{ .Template.Name }} {{ .Template.BasePath }}"),
        c("print_int_literal", "{{ 7 }}"),
        c("print_multiline", "{{ .Values.multi }}"),
        c("print_unicode", "{{ .Values.uni }}"),
        c("print_percent", "{{ .Values.pct }}"),
        c("print_html_unescaped", "{{ .Values.html }}"),
        c("print_no_value_literal", "{{ \"<no value>\" }}|"),
        c("print_float_values", "{{ .Values.v1 }} {{ .Values.v2 }} {{ .Values.v3 }} {{ .Values.v4 }} {{ .Values.v5 }} {{ .Values.v6 }}",
          {"v1": 100000, "v2": 999999, "v3": 1234567, "v4": 0.0001, "v5": 123456789012, "v6": 1.7976931348623157e308}),
        c("print_float_neg_zero_like", "{{ .Values.a }} {{ .Values.b }}", {"a": -0.0, "b": 0.1}),
        c("print_int_like_string", "{{ .Values.num_str }}"),
        c("print_deep_list", "{{ .Values.d }}", {"d": [[1, [2, [3]]], {"a": [{"b": None}]}]}),
        c("print_list_of_maps_null", "{{ .Values.d }}", {"d": [{"a": None}]}),
        c("print_dollar", "{{ $.Values.s }}"),
        c("print_twice", "{{ .Values.s }}{{ .Values.s }}"),
        c("print_in_text", "a={{ .Values.f }}, b={{ .Values.list }}."),
        c("print_key_with_caps", "{{ .Values.Key }} {{ .Values.under_score }}"),
    ]


@group("fields")
def fields():
    return [
        c("field_nested", "{{ .Values.nested.l1.l2.l3 }}"),
        c("field_nested_map", "{{ .Values.nested.l1 }}"),
        c("field_missing_top", "[{{ .Values.nope }}]"),
        c("field_missing_depth2", "[{{ .Values.m.nope }}]"),
        c("field_missing_then_child", "{{ .Values.nope.child }}"),
        c("field_missing_depth3", "{{ .Values.nope.a.b }}"),
        c("field_null_then_child", "{{ .Values.nul.child }}"),
        c("field_string_child", "{{ .Values.s.child }}"),
        c("field_float_child", "{{ .Values.f.child }}"),
        c("field_list_child", "{{ .Values.list.child }}"),
        c("field_bool_child", "{{ .Values.t.x }}"),
        c("field_on_release_missing", "[{{ .Release.Nope }}]"),
        c("field_release_string_child", "{{ .Release.Name.x }}"),
        c("field_top_missing", "[{{ .Nope }}]"),
        c("field_top_missing_child", "{{ .Nope.x }}"),
        c("field_with_args_on_map", "{{ .Values.s 1 }}"),
        c("field_piped_into_map_key", "{{ 1 | .Values.s }}"),
        c("field_pipe_chain", "{{ (.Values.m).d.x }}"),
        c("field_pipe_chain_missing", "[{{ (.Values.m).nope }}]"),
        c("field_pipe_chain_nil", "{{ (.Values.nope).x }}"),
        c("field_pipe_chain_nil_deeper", "[{{ (.Values.nope).x.y }}]"),
        c("field_pipe_chain_string", "{{ (.Values.s).x }}"),
        c("field_variable_chain", "{{ $m := .Values.m }}{{ $m.d.x }}"),
        c("field_variable_missing", "{{ $m := .Values.m }}[{{ $m.nope }}]"),
        c("field_variable_nil", "{{ $x := .Values.nope }}[{{ $x.child }}]"),
        c("field_variable_nil_deep", "{{ $x := .Values.nope }}[{{ $x.a.b }}]"),
        c("field_variable_string", "{{ $x := .Values.s }}{{ $x.child }}"),
        c("field_dollar_chain", "{{ $.Values.m.b }}"),
        c("field_dot_in_with", "{{ with .Values.m }}{{ .b }}{{ end }}"),
        c("field_dot_in_range_nil", "{{ range .Values.mixed }}{{ .k }},{{ end }}"),
        c("field_range_elem_string", "{{ range .Values.list }}{{ .x }}{{ end }}"),
        c("field_range_elem_map", "{{ range .Values.objs }}{{ .name }}:{{ .port }} {{ end }}"),
        c("field_range_var_nil", "{{ range $v := .Values.mixed }}{{ $v.k }},{{ end }}"),
        c("field_index_then_field", "{{ (index .Values.objs 1).name }}"),
        c("field_key_digits", "{{ .Values.a1 }}", {"a1": "ok"}),
        c("field_key_unicode", "{{ .Values.é }}", {"é": "ok"}),
        c("field_bad_char", "{{ .Values.a-b }}"),
        c("field_on_dot_literal", "{{ ..x }}"),
        c("field_after_paren_number", "{{ (1).x }}"),
        c("field_on_bool_result", "{{ (eq 1 1).x }}"),
        c("field_on_function", "{{ len.x }}"),
        c("field_function_chain_error", "{{ print.x }}"),
        c("field_chain_two_levels", "{{ (.Values).m.b }}"),
        c("field_nested_missing_in_if", "{{ if .Values.nope.x }}yes{{ end }}"),
        c("field_missing_in_if", "{{ if .Values.nope }}yes{{ else }}no{{ end }}"),
        c("field_deep_missing_in_with", "{{ with .Values.m.nope }}yes{{ else }}no{{ end }}"),
        c("field_map_key_numeric_like", "{{ .Values.m.a }}"),
        c("field_space_before_field", "{{ .Values. s }}"),
        c("field_dollar_missing", "[{{ $.Nope }}]"),
        c("field_chain_on_variable_dot", "{{ $x := . }}{{ $x.Values.s }}"),
    ]


@group("variables")
def variables():
    return [
        c("var_declare_print", "{{ $x := 1 }}{{ $x }}"),
        c("var_declare_no_output", "a{{ $x := \"b\" }}c"),
        c("var_assign", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"),
        c("var_assign_in_if", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}"),
        c("var_declare_in_if_scoped", "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}"),
        c("var_declare_in_if_out_of_scope", "{{ if true }}{{ $y := 2 }}{{ end }}{{ $y }}"),
        c("var_assign_in_range", "{{ $s := \"\" }}{{ range .Values.list }}{{ $s = print $s . }}{{ end }}{{ $s }}"),
        c("var_assign_undefined_parse", "{{ $x = 1 }}"),
        c("var_undefined", "{{ $nope }}"),
        c("var_dollar", "{{ $.Release }}"),
        c("var_dollar_in_range", "{{ range .Values.list }}{{ $.Values.s }}{{ end }}"),
        c("var_with_decl", "{{ with $x := .Values.m.b }}{{ $x }}{{ . }}{{ end }}"),
        c("var_with_decl_scoped", "{{ with $x := .Values.s }}{{ end }}{{ $x }}"),
        c("var_if_decl", "{{ if $x := .Values.s }}{{ $x }}{{ end }}"),
        c("var_if_decl_else_sees_var", "{{ if $x := .Values.e }}a{{ else }}[{{ $x }}]{{ end }}"),
        c("var_range_single", "{{ range $v := .Values.list }}{{ $v }}{{ end }}"),
        c("var_range_two", "{{ range $i, $v := .Values.list }}{{ $i }}{{ $v }}{{ end }}"),
        c("var_range_two_map", "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}"),
        c("var_range_assign", "{{ $v := 0 }}{{ range $v = .Values.list }}{{ end }}{{ $v }}"),
        c("var_range_assign_two", "{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .Values.list }}{{ end }}{{ $i }}{{ $v }}"),
        c("var_range_vars_scoped", "{{ range $i, $v := .Values.list }}{{ end }}{{ $i }}"),
        c("var_range_body_var_reset", "{{ range .Values.list }}{{ $x := . }}{{ $x }}{{ end }}"),
        c("var_shadow_restore", "{{ $x := \"outer\" }}{{ range .Values.list }}{{ $x := . }}{{ end }}{{ $x }}"),
        c("var_type_int", "{{ $x := 3 }}{{ printf \"%T\" $x }}"),
        c("var_from_pipeline", "{{ $x := .Values.list | len }}{{ $x }}"),
        c("var_missing_value", "{{ $x := .Values.nope }}[{{ $x }}]"),
        c("var_as_function", "{{ $x := 1 }}{{ $x 2 }}"),
        c("var_piped_to_var", "{{ $x := 1 }}{{ 2 | $x }}"),
        c("var_two_decls_command", "{{ $a, $b := 1 }}"),
        c("var_range_three_vars", "{{ range $a, $b, $c := .Values.list }}{{ end }}"),
        c("var_range_comma_then_value", "{{ range $a, 1 }}{{ end }}"),
        c("var_not_inherited_by_template", "{{ define \"t\" }}{{ $x }}{{ end }}{{ $x := 1 }}{{ template \"t\" }}"),
        c("var_dollar_reset_by_template", "{{ define \"t\" }}{{ $ }}{{ end }}{{ template \"t\" \"arg\" }}"),
        c("var_template_pipeline_decl_persists", "{{ define \"t\" }}{{ . }}{{ end }}{{ template \"t\" $x := 5 }}{{ $x }}"),
        c("var_declare_space_variants", "{{$x:=1}}{{$x}}"),
        c("var_bad_char_equals", "{{ $x:=1 }}{{ $x=2 }}{{ $x }}"),
        c("var_with_else_scope", "{{ with $x := .Values.e }}{{ else }}[{{ $x }}]{{ end }}"),
        c("var_with_dot_unchanged_in_else", "{{ with .Values.e }}a{{ else }}{{ .Values.s }}{{ end }}"),
        c("var_range_else_sees_dot", "{{ range .Values.empty }}a{{ else }}{{ .Values.s }}{{ end }}"),
        c("var_in_nested_range", "{{ range $i, $a := .Values.list }}{{ range $j, $b := $.Values.nums }}{{ $i }}{{ $j }} {{ end }}{{ end }}"),
    ]


@group("pipelines")
def pipelines():
    return [
        c("pipe_to_printf", "{{ .Values.s | printf \"%s!\" }}"),
        c("pipe_chain", "{{ .Values.list | len | printf \"%d items\" }}"),
        c("pipe_final_arg_last", "{{ \"b\" | printf \"%s-%s\" \"a\" }}"),
        c("pipe_paren", "{{ printf \"%s-%s\" (print \"a\") (print \"b\") }}"),
        c("pipe_paren_nested", "{{ print (print (print \"x\")) }}"),
        c("pipe_paren_with_pipe", "{{ print (\"a\" | printf \"%s!\") }}"),
        c("pipe_paren_command", "{{ (\"x\") }}"),
        c("pipe_paren_with_args", "{{ (\"x\") 1 }}"),
        c("pipe_paren_piped", "{{ 1 | (\"x\") }}"),
        c("pipe_non_executable_stage2", "{{ \"a\" | \"b\" }}"),
        c("pipe_non_executable_number", "{{ 1 | 2 }}"),
        c("pipe_non_executable_dot", "{{ 1 | . }}"),
        c("pipe_non_executable_nil", "{{ 1 | nil }}"),
        c("pipe_non_executable_bool", "{{ 1 | true }}"),
        c("pipe_to_field", "{{ 1 | .Values }}"),
        c("pipe_empty_stage", "{{ 1 | }}"),
        c("pipe_leading_pipe", "{{ | 1 }}"),
        c("pipe_missing_value", "{{ }}"),
        c("pipe_unclosed_paren", "{{ (1 }}"),
        c("pipe_extra_paren", "{{ 1) }}"),
        c("pipe_empty_paren", "{{ () }}"),
        c("pipe_decl_in_paren", "{{ ($x := 1) }}{{ $x }}"),
        c("pipe_nil_value_piped", "{{ .Values.nope | print }}"),
        c("pipe_to_variable", "{{ $f := 1 }}{{ \"a\" | $f }}"),
        c("pipe_multiline", "{{ .Values.s\n  | printf \"%s\"\n  | printf \"[%s]\" }}"),
        c("pipe_comma_char", "{{ print 1,2 }}"),
        c("pipe_unexpected_char", "{{ print 1 ; 2 }}"),
        c("pipe_len_of_pipeline", "{{ (.Values.list) | len }}"),
        c("pipe_dot_arg", "{{ print .Release | len }}"),
        c("pipe_many_stages", "{{ 1 | print | print | print | print | printf \"%s%s\" \"x\" }}"),
    ]


@group("control")
def control():
    return [
        c("if_true", "{{ if true }}yes{{ end }}"),
        c("if_false_else", "{{ if false }}yes{{ else }}no{{ end }}"),
        c("if_else_if", "{{ if false }}a{{ else if true }}b{{ else }}c{{ end }}"),
        c("if_else_if_chain", "{{ if eq .Values.s \"x\" }}a{{ else if eq .Values.s \"y\" }}b{{ else if eq .Values.s \"str\" }}c{{ else }}d{{ end }}"),
        c("if_empty_string", "{{ if .Values.e }}y{{ else }}n{{ end }}"),
        c("if_zero", "{{ if .Values.z }}y{{ else }}n{{ end }}"),
        c("if_empty_list", "{{ if .Values.empty }}y{{ else }}n{{ end }}"),
        c("if_empty_map", "{{ if .Values.em }}y{{ else }}n{{ end }}"),
        c("if_nil", "{{ if .Values.nul }}y{{ else }}n{{ end }}"),
        c("if_string_zero", "{{ if \"0\" }}y{{ else }}n{{ end }}"),
        c("if_int_literal_zero", "{{ if 0 }}y{{ else }}n{{ end }}"),
        c("if_float_literal", "{{ if 0.0 }}y{{ else }}n{{ end }}"),
        c("if_release_map", "{{ if .Release }}y{{ end }}"),
        c("if_no_value", "{{ if }}{{ end }}"),
        c("if_unclosed", "{{ if true }}"),
        c("if_double_else", "{{ if true }}{{ else }}{{ else }}{{ end }}"),
        c("if_else_with", "{{ if false }}a{{ else with .Values.s }}{{ . }}{{ end }}"),
        c("end_alone", "{{ end }}"),
        c("else_alone", "{{ else }}"),
        c("end_with_args", "{{ if true }}{{ end 1 }}"),
        c("else_with_args", "{{ if true }}{{ else 1 }}{{ end }}"),
        c("with_true", "{{ with .Values.m }}{{ .a }}{{ end }}"),
        c("with_false_else", "{{ with .Values.e }}x{{ else }}empty{{ end }}"),
        c("with_else_with", "{{ with .Values.e }}a{{ else with .Values.s }}{{ . }}{{ else }}c{{ end }}"),
        c("with_else_with_none", "{{ with .Values.e }}a{{ else with .Values.z }}{{ . }}{{ else }}c{{ end }}"),
        c("with_else_if", "{{ with .Values.e }}a{{ else if true }}b{{ end }}"),
        c("with_missing", "{{ with .Values.nope }}x{{ else }}none{{ end }}"),
        c("with_dot_float", "{{ with .Values.f }}{{ . }}{{ end }}"),
        c("range_list", "{{ range .Values.list }}[{{ . }}]{{ end }}"),
        c("range_list_index", "{{ range $i, $e := .Values.list }}{{ $i }}:{{ $e }} {{ end }}"),
        c("range_map_sorted", "{{ range .Values.keys }}{{ . }}{{ end }}"),
        c("range_map_keys", "{{ range $k, $v := .Values.keys }}{{ $k }}{{ end }}"),
        c("range_map_single_var", "{{ range $v := .Values.keys }}{{ $v }}{{ end }}"),
        c("range_empty_else", "{{ range .Values.empty }}x{{ else }}empty{{ end }}"),
        c("range_empty_map_else", "{{ range .Values.em }}x{{ else }}empty{{ end }}"),
        c("range_nil_else", "{{ range .Values.nope }}x{{ else }}none{{ end }}"),
        c("range_null_else", "{{ range .Values.nul }}x{{ else }}none{{ end }}"),
        c("range_int", "{{ range 3 }}{{ . }}{{ end }}"),
        c("range_int_var", "{{ range $i := 3 }}{{ $i }}{{ end }}"),
        c("range_int_type", "{{ range 1 }}{{ printf \"%T\" . }}{{ end }}"),
        c("range_int_two_vars", "{{ range $i, $v := 3 }}{{ end }}"),
        c("range_int_zero_else", "{{ range 0 }}x{{ else }}zero{{ end }}"),
        c("range_int_negative", "{{ range -2 }}x{{ else }}neg{{ end }}"),
        c("range_int_zero_two_vars", "{{ range $i, $v := 0 }}{{ end }}"),
        c("range_float_error", "{{ range .Values.n }}{{ . }}{{ end }}"),
        c("range_float_literal", "{{ range 3.5 }}{{ end }}"),
        c("range_string_error", "{{ range .Values.s }}{{ . }}{{ end }}"),
        c("range_bool_error", "{{ range true }}{{ end }}"),
        c("range_break", "{{ range .Values.list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}"),
        c("range_continue", "{{ range .Values.list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}"),
        c("range_break_skips_else", "{{ range .Values.list }}{{ break }}{{ else }}else{{ end }}done"),
        c("range_break_nested_inner", "{{ range $i, $a := .Values.list }}{{ range $.Values.nums }}{{ break }}{{ end }}{{ $a }}{{ end }}"),
        c("range_continue_in_with", "{{ range .Values.objs }}{{ with .name }}{{ if eq . \"x\" }}{{ continue }}{{ end }}{{ . }}{{ end }}{{ end }}"),
        c("break_in_inner_else", "{{ range .Values.list }}{{ range $.Values.empty }}{{ else }}{{ break }}{{ end }}{{ . }}{{ end }}"),
        c("continue_in_inner_else", "{{ range .Values.list }}{{ range $.Values.empty }}{{ else }}{{ continue }}{{ end }}{{ . }}{{ end }}"),
        c("break_in_else_of_single_range", "{{ range .Values.empty }}{{ else }}{{ break }}{{ end }}"),
        c("break_inside_if_inside_range", "{{ range $i, $e := .Values.list }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $e }}{{ end }}|{{ $.Values.s }}"),
        c("break_outside_range", "{{ break }}"),
        c("continue_outside_range", "{{ continue }}"),
        c("break_in_if_outside", "{{ if true }}{{ break }}{{ end }}"),
        c("break_with_args", "{{ range .Values.list }}{{ break 1 }}{{ end }}"),
        c("break_in_define_in_range", "{{ range .Values.list }}{{ end }}{{ define \"x\" }}{{ break }}{{ end }}"),
        c("range_nested", "{{ range .Values.objs }}{{ range $k, $v := . }}{{ $k }}={{ $v }} {{ end }};{{ end }}"),
        c("range_mixed_types", "{{ range .Values.mixed }}{{ . }}|{{ end }}"),
        c("range_nums_types", "{{ range .Values.nums }}{{ printf \"%T \" . }}{{ end }}"),
        c("range_over_dot_values", "{{ range $k, $_ := .Values.m }}{{ $k }}{{ end }}"),
        c("range_no_pipeline", "{{ range }}{{ end }}"),
        c("range_else_if_not_allowed", "{{ range .Values.empty }}{{ else if true }}x{{ end }}"),
        c("range_release", "{{ range $k, $v := .Release }}{{ $k }} {{ end }}"),
        c("if_pipeline_decl_multiple", "{{ if $a, $b := 1 }}{{ end }}"),
        c("nested_if_with_range", "{{ if .Values.t }}{{ with .Values.m }}{{ range .c }}{{ . }}{{ end }}{{ end }}{{ end }}"),
        c("unexpected_eof_in_range", "{{ range .Values.list }}x"),
        c("define_inside_if", "{{ if true }}{{ define \"x\" }}{{ end }}{{ end }}"),
    ]


@group("templates")
def templates():
    return [
        c("define_and_template", "{{ define \"x\" }}X{{ . }}{{ end }}{{ template \"x\" \"arg\" }}"),
        c("template_no_arg", "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" }}"),
        c("template_dot", "{{ define \"x\" }}{{ .Values.s }}{{ end }}{{ template \"x\" . }}"),
        c("template_not_defined", "{{ template \"nope\" }}"),
        c("template_name_raw", "{{ define `x` }}raw{{ end }}{{ template `x` }}"),
        c("template_name_not_string", "{{ template x }}"),
        c("template_name_number", "{{ template 1 }}"),
        c("template_bad_name_escape", "{{ template \"\\q\" }}"),
        c("template_self_file", "{{ if false }}{{ template \"c/templates/t.yaml\" }}{{ end }}ok"),
        c("template_recursion_limit", "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}"),
        c("template_tree_walk", "{{ define \"walk\" }}({{ .name }}{{ range .children }} {{ template \"walk\" . }}{{ end }}){{ end }}{{ template \"walk\" .Values.tree }}",
          {"tree": {"name": "root", "children": [{"name": "a", "children": [{"name": "a1"}]}, {"name": "b"}]}}),
        c("template_recursion_via_dollar", "{{ define \"r\" }}{{ template \"r\" $ }}{{ end }}{{ template \"r\" 1 }}"),
        c("block_defines_and_runs", "{{ block \"b\" .Values.s }}[{{ . }}]{{ end }}"),
        c("block_overridden_by_helper", "{{ block \"b\" . }}default{{ end }}", None, "{{ define \"b\" }}override{{ end }}"),
        c("block_missing_pipeline", "{{ block \"b\" }}x{{ end }}"),
        c("define_missing_name", "{{ define }}x{{ end }}"),
        c("define_bad_name", "{{ define x }}x{{ end }}"),
        c("define_unclosed", "{{ define \"x\" }}x"),
        c("define_else", "{{ define \"x\" }}x{{ else }}y{{ end }}"),
        c("define_twice_same_file", "{{ define \"x\" }}1{{ end }}{{ define \"x\" }}2{{ end }}"),
        c("define_twice_second_empty", "{{ define \"x\" }}1{{ end }}{{ define \"x\" }} {{ end }}{{ template \"x\" }}"),
        c("define_twice_first_empty", "{{ define \"x\" }} {{ end }}{{ define \"x\" }}2{{ end }}{{ template \"x\" }}"),
        c("define_in_helpers", "{{ template \"h\" . }}", None, "{{ define \"h\" }}helper {{ .Values.s }}{{ end }}"),
        c("define_helper_vs_file_precedence", "{{ define \"x\" }}file{{ end }}{{ template \"x\" }}", None, "{{ define \"x\" }}helper{{ end }}"),
        c("define_helper_empty_no_override", "{{ define \"x\" }}file{{ end }}{{ template \"x\" }}", None, "{{ define \"x\" }}{{ end }}"),
        c("define_helper_comment_only", "{{ define \"x\" }}file{{ end }}{{ template \"x\" }}", None, "{{ define \"x\" }}{{/* c */}}{{ end }}"),
        c("define_helper_action_overrides", "{{ define \"x\" }}file{{ end }}{{ template \"x\" }}", None, "{{ define \"x\" }}{{ \"\" }}{{ end }}"),
        c("template_error_location_in_helper", "{{ template \"h\" . }}", None, "\n{{ define \"h\" }}\n  {{ .Values.s.x }}\n{{ end }}"),
        c("template_error_in_define_same_file", "{{ define \"d\" }}\n{{ .Values.nope.x }}{{ end }}{{ template \"d\" . }}"),
        c("template_parse_error_in_helper", "x", None, "{{ define \"h\" }}{{ if }}{{ end }}"),
        c("template_var_scope_isolated", "{{ $x := 1 }}{{ define \"t\" }}{{ $ }}{{ end }}{{ template \"t\" 2 }}{{ $x }}"),
        c("template_with_range_data", "{{ define \"item\" }}<{{ .name }}>{{ end }}{{ range .Values.objs }}{{ template \"item\" . }}{{ end }}"),
        c("template_missing_dot", "{{ define \"x\" }}[{{ .a }}]{{ end }}{{ template \"x\" }}"),
        c("template_missing_dot_deep", "{{ define \"x\" }}[{{ .a.b }}]{{ end }}{{ template \"x\" }}"),
        c("template_pipeline_error", "{{ define \"x\" }}{{ end }}{{ template \"x\" .Values.nope.x }}"),
        c("define_whitespace_body_kept", "{{ define \"x\" }}\n  indented\n{{ end }}[{{ template \"x\" }}]"),
        c("define_trimmed", "{{- define \"x\" -}}\n  body\n{{- end -}}\n[{{ template \"x\" }}]"),
        c("define_nested_template_calls", "{{ define \"a\" }}A{{ template \"b\" . }}{{ end }}{{ define \"b\" }}B{{ . }}{{ end }}{{ template \"a\" 1 }}"),
        c("define_with_break_outside", "{{ define \"x\" }}{{ continue }}{{ end }}"),
        c("template_extra_tokens", "{{ template \"x\" 1 2 }}"),
        c("define_at_end_of_text", "a{{ define \"x\" }}b{{ end }}"),
        c("block_inside_range", "{{ range .Values.list }}{{ block \"bl\" . }}<{{ . }}>{{ end }}{{ end }}"),
        c("block_name_duplicate_define", "{{ define \"b\" }}d{{ end }}{{ block \"b\" . }}b{{ end }}"),
    ]


@group("builtins")
def builtins():
    return [
        c("and_all_true", "{{ and 1 \"a\" true }}"),
        c("and_first_false", "{{ and 0 \"a\" }}"),
        c("and_returns_value", "{{ and .Values.s .Values.f }}"),
        c("and_short_circuit", "{{ and false .Values.nope.x }}"),
        c("and_no_args", "{{ and }}"),
        c("and_piped", "{{ 1 | and true }}"),
        c("and_piped_false_first", "{{ 1 | and false }}"),
        c("and_nil", "[{{ and .Values.s .Values.nope }}]"),
        c("or_first_true", "{{ or 0 \"\" \"x\" }}"),
        c("or_all_false", "{{ or 0 \"\" false }}"),
        c("or_short_circuit", "{{ or true .Values.nope.x }}"),
        c("or_default_idiom", "{{ or .Values.nope \"default\" }}"),
        c("or_missing_all", "[{{ or .Values.nope .Values.nope2 }}]"),
        c("or_piped", "{{ \"p\" | or false }}"),
        c("not_true", "{{ not true }}"),
        c("not_values", "{{ not .Values.e }} {{ not .Values.s }} {{ not .Values.nope }}"),
        c("not_two_args", "{{ not 1 2 }}"),
        c("not_no_args", "{{ not }}"),
        c("len_list", "{{ len .Values.list }}"),
        c("len_map", "{{ len .Values.m }}"),
        c("len_string_bytes", "{{ len .Values.uni }}"),
        c("len_empty", "{{ len .Values.empty }} {{ len .Values.e }}"),
        c("len_float", "{{ len .Values.f }}"),
        c("len_int_literal", "{{ len 3 }}"),
        c("len_missing", "{{ len .Values.nope }}"),
        c("len_nil_literal", "{{ len nil }}"),
        c("len_piped_missing", "{{ .Values.nope | len }}"),
        c("len_type", "{{ len .Values.list | printf \"%T\" }}"),
        c("index_list", "{{ index .Values.list 1 }}"),
        c("index_map", "{{ index .Values.m \"b\" }}"),
        c("index_nested", "{{ index .Values.m \"d\" \"x\" }}"),
        c("index_map_missing", "[{{ index .Values.m \"nope\" }}]"),
        c("index_map_missing_deeper", "{{ index .Values.m \"nope\" \"x\" }}"),
        c("index_no_keys", "{{ index .Values.list }}"),
        c("index_out_of_range", "{{ index .Values.list 5 }}"),
        c("index_at_len", "{{ index .Values.list 3 }}"),
        c("index_negative", "{{ index .Values.list -1 }}"),
        c("index_float_key", "{{ index .Values.list 1.0 }}"),
        c("index_float_value_key", "{{ index .Values.list .Values.z }}"),
        c("index_string_key_on_list", "{{ index .Values.list \"a\" }}"),
        c("index_string", "{{ index .Values.s 0 }}"),
        c("index_string_type", "{{ printf \"%T\" (index .Values.s 0) }}"),
        c("index_int_key_on_map", "{{ index .Values.m 1 }}"),
        c("index_nil_key_on_map", "{{ index .Values.m nil }}"),
        c("index_of_nil", "{{ index nil 1 }}"),
        c("index_of_missing", "{{ index .Values.nope 1 }}"),
        c("index_of_float", "{{ index .Values.f 1 }}"),
        c("index_through_nil_elem", "{{ index .Values.mixed 3 0 }}"),
        c("index_values_key_dash", "{{ index .Values \"my-key\" }}", {"my-key": "dash"}),
        c("index_values_missing_dash", "[{{ index .Values \"my-key\" }}]"),
        c("index_dot_values", "{{ index . \"Values\" \"s\" }}"),
        c("index_no_args", "{{ index }}"),
        c("index_chain_field", "{{ (index .Values.objs 0).port }}"),
        c("print_basic", "{{ print \"a\" \"b\" 1 2 \"c\" }}"),
        c("print_spacing", "{{ print 1 2 }} {{ print \"a\" 1 }} {{ print 1 \"a\" 2 }}"),
        c("print_nil", "{{ print nil }} {{ print .Values.nope }}"),
        c("print_no_args", "[{{ print }}]"),
        c("print_values_types", "{{ print .Values.f .Values.t .Values.list .Values.m.d }}"),
        c("println_basic", "{{ println \"a\" 1 }}"),
        c("println_no_args", "[{{ println }}]"),
        c("printf_verbs", "{{ printf \"%d|%5.2f|%q|%v|%T|%x|%o|%b|%e\" 42 3.14159 \"q\" .Values.list .Values.m 255 8 5 1234.5 }}"),
        c("printf_float_as_int", "{{ printf \"%d\" .Values.n }}"),
        c("printf_missing_arg", "{{ printf \"%s %s\" \"a\" }}"),
        c("printf_extra_arg", "{{ printf \"%s\" \"a\" \"b\" }}"),
        c("printf_percent", "{{ printf \"100%%\" }}"),
        c("printf_nil_arg", "{{ printf \"%s\" nil }}"),
        c("printf_missing_value_arg", "{{ printf \"%v\" .Values.nope }}"),
        c("printf_no_args", "{{ printf }}"),
        c("printf_format_not_string", "{{ printf 3 }}"),
        c("printf_format_missing_field", "{{ printf .Values.nope }}"),
        c("printf_format_piped_missing", "{{ .Values.nope | printf }}"),
        c("printf_format_float_field", "{{ printf .Values.f }}"),
        c("printf_format_from_values", "{{ printf .Values.fmt 1 }}", {"fmt": "n=%v"}),
        c("printf_padding", "{{ printf \"[%-5s][%5s][%05d]\" \"a\" \"b\" 42 }}"),
        c("printf_star_width", "{{ printf \"[%*d]\" 5 42 }}"),
        c("printf_map_value", "{{ printf \"%v %s\" .Values.m .Values.m }}"),
        c("printf_bool", "{{ printf \"%t %v\" true .Values.no }}"),
        c("printf_unicode_q", "{{ printf \"%q %+q\" .Values.uni .Values.uni }}"),
        c("printf_char", "{{ printf \"%c%c\" 'h' 105 }}"),
        c("html_escape", "{{ html .Values.html }}"),
        c("html_multiple_args", "{{ html 1 \"<\" 2 }}"),
        c("html_nil", "{{ html nil }} {{ html .Values.nope }}"),
        c("html_piped", "{{ .Values.html | html }}"),
        c("html_map", "{{ html .Values.m.d }}"),
        c("js_escape", "{{ js .Values.html }}"),
        c("js_specials", "{{ js \"a=b&c\\\\d\\ne\\u2028\" }}"),
        c("js_unicode", "{{ js .Values.uni }}"),
        c("urlquery_escape", "{{ urlquery \"a b&c=d/e?f\" }}"),
        c("urlquery_unicode", "{{ urlquery .Values.uni }}"),
        c("urlquery_multi", "{{ urlquery \"a\" 1 2 }}"),
        c("call_non_function", "{{ call .Values.s }}"),
        c("call_nil", "{{ call nil }}"),
        c("call_piped", "{{ 1.5 | call }}"),
        c("call_no_args", "{{ call }}"),
        c("call_missing", "{{ call .Values.nope }}"),
        c("builtin_unknown_function", "{{ nosuchfunc 1 }}"),
        c("builtin_as_value", "{{ len }}"),
        c("builtin_as_arg", "{{ print len }}"),
    ]


@group("comparison")
def comparison():
    return [
        c("eq_ints", "{{ eq 1 1 }} {{ eq 1 2 }}"),
        c("eq_strings", "{{ eq \"a\" \"a\" }} {{ eq .Values.s \"str\" }}"),
        c("eq_floats", "{{ eq .Values.f 1.5 }} {{ eq .Values.n 3.0 }}"),
        c("eq_float_int", "{{ eq .Values.n 3 }}"),
        c("eq_int_float", "{{ eq 3 .Values.n }}"),
        c("eq_multi", "{{ eq .Values.s \"a\" \"b\" \"str\" }} {{ eq 1 2 3 }}"),
        c("eq_multi_error_late", "{{ eq 1 2 \"x\" }}"),
        c("eq_multi_true_before_error", "{{ eq 1 1 \"x\" }}"),
        c("eq_bool", "{{ eq true true }} {{ eq .Values.t false }}"),
        c("eq_missing_string", "{{ eq .Values.nope \"x\" }}"),
        c("eq_string_missing", "{{ eq \"x\" .Values.nope }}"),
        c("eq_missing_missing", "{{ eq .Values.nope .Values.nope2 }}"),
        c("eq_nil_nil", "{{ eq nil nil }}"),
        c("eq_nil_int", "{{ eq nil 1 }} {{ eq 1 nil }}"),
        c("eq_list_list", "{{ eq .Values.list .Values.list }}"),
        c("eq_map_list", "{{ eq .Values.m .Values.list }}"),
        c("eq_list_nil", "{{ eq .Values.list nil }}"),
        c("eq_map_missing", "{{ eq .Values.m .Values.nope }}"),
        c("eq_string_int", "{{ eq \"1\" 1 }}"),
        c("eq_one_arg", "{{ eq 1 }}"),
        c("eq_no_args", "{{ eq }}"),
        c("eq_char_int", "{{ eq 'a' 97 }}"),
        c("eq_piped", "{{ \"str\" | eq .Values.s }}"),
        c("ne_basic", "{{ ne 1 2 }} {{ ne \"a\" \"a\" }}"),
        c("ne_float_int", "{{ ne .Values.n 3 }}"),
        c("ne_three_args", "{{ ne 1 2 3 }}"),
        c("ne_missing", "{{ ne .Values.nope \"x\" }}"),
        c("lt_ints", "{{ lt 1 2 }} {{ lt 2 1 }} {{ lt 1 1 }}"),
        c("lt_floats", "{{ lt .Values.f 2.0 }} {{ lt .Values.n .Values.f }}"),
        c("lt_strings", "{{ lt \"a\" \"b\" }} {{ lt \"B\" \"a\" }} {{ lt \"ab\" \"a\" }}"),
        c("lt_float_int", "{{ lt .Values.n 5 }}"),
        c("lt_bool", "{{ lt true false }}"),
        c("lt_nil", "{{ lt nil 1 }}"),
        c("lt_missing", "{{ lt .Values.nope 1 }}"),
        c("lt_list", "{{ lt .Values.list 1 }}"),
        c("lt_string_int", "{{ lt \"a\" 1 }}"),
        c("lt_one_arg", "{{ lt 1 }}"),
        c("le_basic", "{{ le 1 1 }} {{ le 2 1 }} {{ le \"a\" \"a\" }}"),
        c("gt_basic", "{{ gt 2 1 }} {{ gt 1 2 }} {{ gt .Values.f 1.0 }}"),
        c("ge_basic", "{{ ge 1 1 }} {{ ge 0 1 }}"),
        c("gt_float_int", "{{ gt .Values.n 1 }}"),
        c("ge_bool", "{{ ge true true }}"),
        c("compare_in_if", "{{ if gt (len .Values.list) 2 }}long{{ end }}"),
        c("compare_len_float", "{{ if gt (len .Values.list) .Values.n }}x{{ else }}y{{ end }}"),
        c("eq_values_float_float", "{{ eq .Values.z 0.0 }}"),
        c("eq_neg_zero", "{{ eq 0.0 -0.0 }}"),
        c("eq_release_revision", "{{ eq .Release.Revision 1 }}"),
        c("eq_release_bool", "{{ eq .Release.IsInstall true }}"),
        c("lt_release_revision_float", "{{ lt .Release.Revision 1.5 }}"),
        c("eq_release_release", "{{ eq .Release .Release }}"),
    ]


@group("arguments")
def arguments():
    return [
        c("arg_string_param_from_field", "{{ printf .Values.s }}"),
        c("arg_string_param_from_list", "{{ printf .Values.list }}"),
        c("arg_string_param_from_null", "{{ printf .Values.nul }}"),
        c("arg_string_param_from_var_missing", "{{ $x := .Values.nope }}{{ printf $x }}"),
        c("arg_string_param_from_paren_missing", "{{ printf (.Values.nope) }}"),
        c("arg_string_param_number_literal", "{{ printf 1 }}"),
        c("arg_string_param_bool_literal", "{{ printf true }}"),
        c("arg_string_param_nil_literal", "{{ printf nil }}"),
        c("arg_string_param_dot", "{{ printf . }}"),
        c("arg_string_param_dot_in_with", "{{ with .Values.s }}{{ printf . }}{{ end }}"),
        c("arg_string_param_range_elem", "{{ range .Values.list }}{{ printf . }}{{ end }}"),
        c("arg_string_param_range_elem_nil", "{{ range .Values.mixed }}{{ printf . }}{{ end }}"),
        c("arg_string_param_function", "{{ printf print }}"),
        c("arg_string_param_chain", "{{ printf (.Values.m).b }}"),
        c("arg_string_param_index_missing", "{{ printf (index .Values.m \"nope\") }}"),
        c("arg_variadic_missing", "{{ print .Values.nope \"x\" }}"),
        c("arg_piped_missing_to_variadic", "{{ .Values.nope | print \"x\" }}"),
        c("arg_reflect_missing_direct", "{{ not .Values.nope }}"),
        c("arg_many_types", "{{ print 1 1.5 \"s\" 'c' true nil .Values.list }}"),
        c("arg_wrong_count_not", "{{ not 1 2 3 }}"),
        c("arg_wrong_count_piped", "{{ 1 | not 2 }}"),
        c("arg_wrong_count_lt_piped", "{{ 1 | lt 1 2 }}"),
        c("arg_error_position_second_line", "a\n  {{ printf \"%d\" .Values.nope.x }}"),
        c("arg_error_column_after_unicode", "é☃ {{ .Values.nope.x }}"),
        c("arg_error_in_parens", "{{ print (print (.Values.nope.x)) }}"),
        c("arg_error_long_context", "{{ printf \"%s %s %s %s\" .Values.s .Values.s .Values.s .Values.nope.zzzzzzzzzzzzzzzzzzzzz }}"),
        c("arg_error_percent_in_context", "{{ printf \"%d%%\" .Values.nope.x }}"),
        c("arg_method_like_field_on_release", "{{ .Release.Name.Foo \"x\" }}"),
        c("arg_constant_in_middle_error", "{{ print 1 (len 3) }}"),
        c("arg_pipe_decl_then_error", "{{ $x := 1 }}{{ $x = .Values.nope.x }}"),
    ]


@group("parse_errors")
def parse_errors():
    return [
        c("unclosed_action", "{{ .Values.s"),
        c("unclosed_action_multiline", "line1\n{{ .Values.s\n\n"),
        c("unclosed_action_in_if", "{{ if true }}\n{{ .x\n"),
        c("unclosed_paren", "{{ print (1 }}"),
        c("unexpected_right_paren", "{{ print 1) }}"),
        c("unexpected_token_in_operand", "{{ print 1= }}"),
        c("unexpected_colon", "{{ $x : 1 }}"),
        c("expected_colon_equals", "{{ $x :1 }}"),
        c("bad_character_in_variable", "{{ $x% }}"),
        c("bad_character_in_field", "{{ .Values.a% }}"),
        c("bad_character_identifier", "{{ print% }}"),
        c("unrecognized_character", "{{ print \u0001 }}"),
        c("non_ascii_in_action", "{{ print ☃ }}"),
        c("unexpected_eof", "{{ if true }}abc"),
        c("unexpected_end", "abc{{ end }}"),
        c("unexpected_else", "{{ else }}"),
        c("missing_value_for_if", "{{ if }}{{ end }}"),
        c("missing_value_for_with", "{{ with }}{{ end }}"),
        c("missing_value_for_range", "{{ range }}{{ end }}"),
        c("missing_value_for_command", "{{ }}"),
        c("missing_value_parenthesized", "{{ print () }}"),
        c("function_not_defined", "{{ foo }}"),
        c("function_not_defined_in_pipe", "{{ 1 | foo }}"),
        c("function_not_defined_second_line", "ok\n{{ bar 1 }}"),
        c("undefined_variable_in_define", "{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}"),
        c("expected_end_found_else", "{{ with 1 }}{{ else }}{{ else }}{{ end }}"),
        c("define_not_top_level", "{{ range .Values.list }}{{ define \"x\" }}{{ end }}{{ end }}"),
        c("keyword_as_argument", "{{ print if }}"),
        c("end_as_argument", "{{ print end }}"),
        c("dot_keyword_in_template", "{{ template . }}"),
        c("unexpected_in_template_clause", "{{ template \"a\" | }}"),
        c("unexpected_in_define_clause", "{{ define \"a\" 1 }}{{ end }}"),
        c("block_unclosed", "{{ block \"b\" . }}x"),
        c("block_bad_name", "{{ block b . }}{{ end }}"),
        c("block_else", "{{ block \"b\" . }}x{{ else }}y{{ end }}"),
        c("parse_error_line_3", "a\nb\n{{ if }}"),
        c("parse_error_after_multiline_comment", "{{/*\n\n*/}}{{ if }}"),
        c("parse_error_multiline_string_action", "{{ print\n\"a\"\n}}{{ end }}"),
        c("error_long_token", "{{ print 1 \"abcdefghijklmnop\" ) }}"),
        c("error_long_token_in_command", "{{ if true }}{{ end \"abcdefghijklmnop\" }}"),
        c("error_unexpected_string_in_end", "{{ if true }}{{ end \"x\" }}"),
        c("error_unexpected_number_in_else", "{{ if true }}{{ else 12 }}{{ end }}"),
        c("error_unexpected_field_in_break", "{{ range .Values.list }}{{ break .x }}{{ end }}"),
        c("error_unexpected_pipe_in_if", "{{ if | }}{{ end }}"),
        c("error_range_extra_decl", "{{ range $a, $b, $c := . }}{{ end }}"),
        c("error_unterminated_char_newline", "{{ '\n' }}"),
        c("error_bad_number_hex", "{{ 0xg }}"),
        c("error_bad_number_suffix", "{{ 1e5x }}"),
        c("error_dot_number", "{{ . }}{{ .5x }}"),
        c("error_comment_unclosed_multiline", "a\n{{/* x\n"),
        c("error_deep_parens_ok", "{{ " + "(" * 50 + "1" + ")" * 50 + " }}"),
        c("error_assign_to_field", "{{ .x := 1 }}"),
        c("error_string_as_decl", "{{ \"a\" := 1 }}"),
        c("error_double_declare_tokens", "{{ $x := := 1 }}"),
        c("error_pipe_decl_after_command", "{{ 1 | $x := 2 }}"),
    ]


@group("definitions")
def definitions():
    d = lambda name, body: "{{ define \"%s\" }}%s{{ end }}" % (name, body)
    return [
        c("files_smallest_path_wins", "{{ template \"x\" }}", None, None,
          {"templates/_a.tpl": d("x", "a"), "templates/_b.tpl": d("x", "b")}),
        c("files_helpers_vs_a", "{{ template \"x\" }}", None, d("x", "helpers"),
          {"templates/_a.tpl": d("x", "a")}),
        c("files_parent_dir_beats_subdir", "{{ template \"x\" }}", None, None,
          {"templates/sub/_a.tpl": d("x", "deep"), "templates/_z.tpl": d("x", "shallow")}),
        c("files_empty_define_does_not_replace", "{{ template \"x\" }}", None, None,
          {"templates/_a.tpl": d("x", "  "), "templates/_b.tpl": d("x", "b")}),
        c("files_template_file_by_name", "{{ template \"c/templates/_b.tpl\" . }}", None, None,
          {"templates/_b.tpl": "file b {{ .Values.s }}"}),
        c("files_file_body_and_define", "[{{ template \"c/templates/_b.tpl\" }}][{{ template \"y\" }}]", None, None,
          {"templates/_b.tpl": "body" + d("y", "Y")}),
        c("files_parse_error_other_file", "ok", None, None,
          {"templates/_b.tpl": "{{ if }}"}),
        c("files_define_in_yaml_file", "{{ template \"z\" }}", None, None,
          {"templates/other.yaml": d("z", "from other.yaml")}),
        c("files_define_in_both_yaml", "{{ template \"z\" }}", None, None,
          {"templates/a.yaml": d("z", "a.yaml"), "templates/z.yaml": d("z", "z.yaml")}),
        c("files_recursive_file_template", "{{ template \"c/templates/_r.tpl\" 0 }}", None, None,
          {"templates/_r.tpl": "{{ if lt . 3 }}{{ . }}{{ end }}"}),
        c("files_three_deep_precedence", "{{ template \"x\" }}", None, None,
          {"templates/a/b/_x.tpl": d("x", "ab"), "templates/a/_x.tpl": d("x", "a"), "templates/_x.tpl": d("x", "top")}),
    ]


@group("positions")
def positions():
    return [
        c("pos_error_line3_col", "a\nb\n  {{ .Values.nope.x }}"),
        c("pos_error_after_trim", "a\n\n  {{- .Values.nope.x }}"),
        c("pos_error_after_comment", "{{/* c\n c */}}\n {{ .Values.nope.x }}"),
        c("pos_error_crlf", "a\r\nb {{ .Values.nope.x }}"),
        c("pos_error_in_else_if", "{{ if false }}\n{{ else if .Values.nope.x }}\n{{ end }}"),
        c("pos_error_in_range_body", "{{ range .Values.list }}\n  {{ .x }}\n{{ end }}"),
        c("pos_error_in_with_pipeline", "{{ with $v := .Values.nope.x }}{{ end }}"),
        c("pos_error_multiline_action", "{{\n  printf\n  \"%s\"\n  .Values.nope.x\n}}"),
        c("pos_error_second_command", "{{ .Values.s | printf \"%s\" | len | printf .Values.f }}"),
        c("pos_error_paren_arg", "{{ printf \"%s\" (index .Values.list 9) }}"),
        c("pos_error_variable_field", "{{ $m := .Values.s }}\n{{ $m.x }}"),
        c("pos_error_long_line", "x" * 200 + "{{ .Values.nope.x }}"),
        c("pos_parse_error_line_after_text", "a\nb\nc\n{{ end }}"),
        c("pos_parse_error_in_define", "{{ define \"d\" }}\n\n{{ if }}{{ end }}{{ end }}"),
        c("pos_parse_error_unclosed_in_define", "{{ define \"d\" }}\n{{ .x\n{{ end }}"),
        c("pos_parse_error_block_end_token", "{{ block \"b\" . }}\nx\n{{ else }}\n{{ end }}"),
        c("pos_error_template_call_in_define", "{{ define \"d\" }}\n  {{ template \"missing\" }}{{ end }}{{ template \"d\" }}"),
        c("pos_error_chain_field_position", "{{ (.Values.m).d.x.y.z }}"),
        c("pos_error_deep_field_position", "{{ .Values.m.d.nope.y.z }}"),
        c("pos_error_unicode_before", "日本語 {{ .Values.nope.x }}"),
    ]


@group("lexing")
def lexing():
    return [
        c("lex_empty_action_trims", "a {{- -}} b"),
        c("lex_minus_no_space", "{{-}}"),
        c("lex_space_minus_close", "{{ -}}"),
        c("lex_double_space_trim_close", "a{{ \"x\"  -}}  b"),
        c("lex_empty_comment", "a{{/**/}}b"),
        c("lex_empty_comment_trims", "a {{- /**/ -}} b"),
        c("lex_string_with_close_delim", "{{ \"}}\" }}"),
        c("lex_raw_with_close_delim", "{{ `}}` }}"),
        c("lex_no_space_before_close", "{{ print \"a\"}}"),
        c("lex_string_glued_to_identifier", "{{print\"a\"}}"),
        c("lex_dollar_alone", "{{$.Release}}"),
        c("lex_variable_field_on_int", "{{ $x := 1 }}{{ $x.y }}"),
        c("lex_comment_between_actions", "{{ 1 }}{{- /* c */ -}}\n{{ 2 }}"),
        c("lex_trim_only_spaces_text", "{{ 1 }}   {{- 2 }}"),
        c("lex_trim_keeps_inner_newlines", "{{ 1 -}}\n x \n{{- 2 }}"),
        c("lex_pipe_without_spaces", "{{ .Values.s|printf \"%s!\" }}"),
        c("lex_parens_without_spaces", "{{ print(1)(2) }}"),
        c("lex_field_after_paren", "{{ (.Values.m).a}}"),
        c("lex_tab_inside_action", "{{\t.Values.s\t}}"),
        c("lex_cr_inside_action", "{{\r.Values.s\r}}"),
        c("lex_colon_equals_no_spaces", "{{ $x:=.Values.s }}{{ $x }}"),
        c("lex_equals_with_spaces", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}"),
        c("lex_number_then_field", "{{ 1.x }}"),
        c("lex_dot_number", "{{ .5 }}"),
        c("lex_dot_then_digit_field", "{{ .Values.1 }}"),
        c("lex_hash_char", "{{ # }}"),
        c("lex_at_char", "{{ print @ }}"),
        c("lex_comma_outside_range", "{{ $a, $b := .Values.list }}"),
        c("lex_left_delim_in_text_single", "{ {{ \"x\" }} }"),
        c("lex_triple_brace", "{{{ \"x\" }}}"),
    ]


def main():
    os.makedirs(os.path.join(OUT, "cases"), exist_ok=True)
    total = 0
    dropped = []
    names = set()
    for gname, fn in GROUPS.items():
        cases = fn()
        out = []
        for case in cases:
            key = (gname, case["name"])
            if key in names:
                raise SystemExit("duplicate case name %s/%s" % key)
            names.add(key)
            values = case["values"] if case["values"] is not None else V
            values_json = json.dumps(values, ensure_ascii=False, sort_keys=True)
            r = helmcase.render_case(case["template"], values_yaml=values_json,
                                     helpers=case["helpers"], files=case["files"])
            rec = {"name": case["name"], "template": case["template"],
                   "values": values, "helpers": case["helpers"]}
            if case["files"]:
                rec["files"] = case["files"]
            if "output" in r:
                rec["output"] = r["output"]
            else:
                if r.get("go_error") is None:
                    dropped.append("%s/%s: %s" % (gname, case["name"], r["error"]))
                    continue
                rec["error"] = {"go": r["go_error"], "helm": r["error"]}
            out.append(rec)
        path = os.path.join(OUT, "cases", gname + ".json")
        with open(path, "w") as f:
            json.dump({"group": gname, "cases": out}, f, indent=1, ensure_ascii=False)
            f.write("\n")
        total += len(out)
        print("%-16s %3d cases" % (gname, len(out)))
    with open(os.path.join(OUT, "ORACLE_VERSION"), "w") as f:
        f.write(helmcase.ORACLE_VERSION + "\n")
    print("total %d cases; dropped %d (no lossless Go error):" % (total, len(dropped)))
    for d in dropped:
        print("  " + d.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
