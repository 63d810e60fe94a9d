; codegloss facts query for Rust: calls only.
(call_expression function: (_) @callee) @call
(macro_invocation macro: (_) @callee) @call
