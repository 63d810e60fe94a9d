; codegloss facts query for Python: the nodes whose facts belong to the innermost enclosing span.
; The callee's parts are captured so that no node of a call has to be asked for its children.
(call function: (identifier) @fn) @call
(call function: (attribute object: (_) @recv attribute: (identifier) @fn)) @call
(return_statement) @return
(yield) @return
(raise_statement) @raise
(assignment left: (_) @target type: (_)? @atype right: (_)? @right) @assign
(augmented_assignment left: (_) @target) @assign
(global_statement) @global
(import_statement) @import
(import_from_statement) @import
; os.environ["X"]; calls like os.environ.get(...) are found by their name
(subscript value: (attribute attribute: (identifier) @envattr) @env
  (#eq? @envattr "environ"))
