; codegloss facts query for Java.
(method_invocation name: (identifier) @callee) @call
(object_creation_expression type: (_) @callee) @new
(return_statement) @return
(yield_statement) @return
(throw_statement) @raise
(assignment_expression left: (_) @target) @assign
(update_expression (_) @target) @assign
(import_declaration) @import
(local_variable_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @var)) @local
(field_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @var)) @field
(enhanced_for_statement type: (_) @type name: (identifier) @var) @local
