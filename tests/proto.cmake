# The pure line-protocol parser (common/protocol.c): it links no Xapian.
lede_unit_test(test_proto lede_proto)
