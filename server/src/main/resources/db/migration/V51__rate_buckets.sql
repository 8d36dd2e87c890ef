-- Activation limits as token buckets instead of fixed clock-hour windows (twice a limit could pass
-- around an hour's boundary): one row a key, refilled continuously, taken from by one conditional
-- UPDATE so that all nodes share it without locks beyond the row's. A missing row is a full bucket.
CREATE TABLE authority_rate_bucket (
    counter_key     VARCHAR(120)     PRIMARY KEY,
    tokens          DOUBLE PRECISION NOT NULL,
    updated_millis  BIGINT           NOT NULL
);
CREATE INDEX authority_rate_bucket_updated_ix ON authority_rate_bucket (updated_millis);

DROP TABLE authority_rate_counter;
