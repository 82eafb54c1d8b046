-- A third delivery frequency: after each arXiv announcement (Sunday to Thursday, 20:00 US
-- Eastern, not on its holidays). Adding an enum value rewrites no row.
ALTER TYPE "public"."frequency" ADD VALUE 'announcements';