; codegloss span query for Go. Methods are qualified by their receiver type.
(function_declaration
  name: (identifier) @name) @definition.function

(method_declaration
  name: (field_identifier) @name) @definition.method

(type_spec
  name: (type_identifier) @name
  type: [(struct_type) (interface_type)]) @definition.class
