-- お知らせ per company and in English (issue 19): an optional English title and body, shown to
-- users whose language is English (Japanese when none was written), and an optional target
-- company; a notice without one is for every company.
ALTER TABLE bizweb_notice ADD COLUMN title_en VARCHAR(200);
ALTER TABLE bizweb_notice ADD COLUMN body_en VARCHAR(4000);
ALTER TABLE bizweb_notice ADD COLUMN company_id BIGINT;
ALTER TABLE bizweb_notice ADD CONSTRAINT bizweb_notice_company_fk FOREIGN KEY (company_id) REFERENCES bizweb_company (id);
ALTER TABLE bizweb_notice ADD CONSTRAINT bizweb_notice_english_pair
    CHECK ((title_en IS NULL AND body_en IS NULL) OR (title_en IS NOT NULL AND body_en IS NOT NULL));
CREATE INDEX bizweb_notice_company_ix ON bizweb_notice (company_id);
