; codegloss facts query for C#: calls only.
(invocation_expression function: (_) @callee) @call
(object_creation_expression type: (_) @callee) @new
