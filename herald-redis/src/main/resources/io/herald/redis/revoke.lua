-- Records a token revocation until it expires and announces it to every node.
-- KEYS: 1 revocations zset (encoded revocation -> expiresAt)
-- ARGV: 1 encoded revocation, 2 expiresAt ms, 3 now ms, 4 control channel, 5 announcement
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
