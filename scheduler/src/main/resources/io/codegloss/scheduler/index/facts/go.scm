; codegloss facts query for Go.
(call_expression function: (_) @callee) @call
(return_statement) @return
(assignment_statement left: (expression_list) @target) @assign
(inc_statement (_) @target) @assign
(dec_statement (_) @target) @assign
(import_spec) @import
(short_var_declaration left: (expression_list) @var right: (expression_list) @init) @local
(var_spec name: (identifier) @var) @local
(field_declaration name: (field_identifier) @var type: (_) @type) @field
