; codegloss facts query for Ruby: calls only.
(call method: (_) @callee) @call
