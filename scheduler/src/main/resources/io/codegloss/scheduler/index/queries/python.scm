; codegloss span query for Python (tags-style: @definition.<kind> plus @name).
; A function whose nearest enclosing span is a class becomes a method.
(class_definition
  name: (identifier) @name) @definition.class

(function_definition
  name: (identifier) @name) @definition.function
