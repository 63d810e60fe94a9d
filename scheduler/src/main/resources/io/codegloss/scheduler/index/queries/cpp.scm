; codegloss span query for C++. Functions inside a class body become methods; out-of-class
; definitions such as User::setEmail are methods of User.
(function_definition
  declarator: (_) @name) @definition.function

(class_specifier
  name: (_) @name
  body: (field_declaration_list)) @definition.class

(struct_specifier
  name: (_) @name
  body: (field_declaration_list)) @definition.class

(union_specifier
  name: (_) @name
  body: (field_declaration_list)) @definition.class

(enum_specifier
  name: (_) @name
  body: (enumerator_list)) @definition.class

(type_definition
  type: [(struct_specifier !name body: (field_declaration_list))
         (class_specifier !name body: (field_declaration_list))]
  declarator: (type_identifier) @name) @definition.class
