; codegloss span query for Rust. Functions inside impl and trait blocks become methods;
; trait method signatures without a body are left to the trait's own span.
(function_item
  name: (identifier) @name) @definition.function

(struct_item
  name: (type_identifier) @name) @definition.class

(enum_item
  name: (type_identifier) @name) @definition.class

(union_item
  name: (type_identifier) @name) @definition.class

(trait_item
  name: (type_identifier) @name) @definition.class

(impl_item
  type: (_) @name) @definition.class
