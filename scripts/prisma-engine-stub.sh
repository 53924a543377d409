#!/bin/sh
# Prisma's CLI wants a native schema engine, which cannot be downloaded offline.
# generate/validate/format do not really need it; migrations go through our own scripts.
echo "The native Prisma schema engine is not available here: use npm run db:migrate / db:migrate:new." >&2
exit 1
