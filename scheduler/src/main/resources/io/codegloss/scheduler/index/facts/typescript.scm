; codegloss facts query for TypeScript.
(call_expression function: (_) @callee) @call
(new_expression constructor: (_) @callee) @new
(return_statement) @return
(yield_expression) @return
(throw_statement) @raise
(assignment_expression left: (_) @target) @assign
(augmented_assignment_expression left: (_) @target) @assign
(update_expression argument: (_) @target) @assign
(import_statement) @import
(variable_declarator name: (_) @var) @local
((member_expression object: (identifier) @envobj property: (property_identifier) @envattr) @env
  (#eq? @envobj "process") (#eq? @envattr "env"))
(public_field_definition name: (_) @var type: (_) @type) @field
(required_parameter (accessibility_modifier) pattern: (identifier) @var type: (_) @type) @field
