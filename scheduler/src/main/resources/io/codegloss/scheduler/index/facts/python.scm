; codegloss facts query for Python: the nodes whose facts belong to the innermost enclosing span.
(call function: (_) @callee) @call
(return_statement) @return
(yield) @return
(raise_statement) @raise
(assignment left: (_) @target) @assign
(augmented_assignment left: (_) @target) @assign
(global_statement) @global
(import_statement) @import
(import_from_statement) @import
; os.environ["X"]; calls like os.environ.get(...) are found by their name
(subscript value: (attribute attribute: (identifier) @envattr) @env
  (#eq? @envattr "environ"))
