#!/bin/sh
# The "executable" test/support/time-skipping-env.ts hands the SDK: the time-skipping server is
# already listening on the port the SDK passes as $1 (started by us, with a start-up deadline
# a loaded machine can meet), so this stand-in only has to stay alive until the SDK's teardown
# kills it. The server itself is stopped by the same teardown.
exec sleep 2147483647
