# The pure line-protocol parser (searchd/proto.c).
lede_unit_test(test_proto lede_proto)
