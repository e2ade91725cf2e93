namespace vfi::test { int supportPlaceholder() { return 0; } }
