; codegloss span query for C. The function name is found under the declarator in code.
(function_definition
  declarator: (_) @name) @definition.function

(struct_specifier
  name: (type_identifier) @name
  body: (field_declaration_list)) @definition.class

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list)) @definition.class

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list)) @definition.class

(type_definition
  type: [(struct_specifier !name body: (field_declaration_list))
         (union_specifier !name body: (field_declaration_list))
         (enum_specifier !name body: (enumerator_list))]
  declarator: (type_identifier) @name) @definition.class
