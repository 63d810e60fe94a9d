; codegloss facts query for C: calls only.
(call_expression function: (_) @callee) @call
