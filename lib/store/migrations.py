"""Append-only, named schema migrations. Never edit a step that has shipped; add a new one."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001_core_tables",
        """
        CREATE TABLE work (
            key VARCHAR PRIMARY KEY,      -- lower-case bare DOI, else pmid:<digits>, pmcid:, arxiv:, openalex:
            doi VARCHAR,
            pmid VARCHAR,
            pmcid VARCHAR,
            arxiv VARCHAR,
            openalex VARCHAR,
            title VARCHAR,
            journal VARCHAR,
            year INTEGER,
            pub_date DATE,
            type VARCHAR,
            oa_status VARCHAR,
            field VARCHAR,
            topic VARCHAR,
            is_retracted BOOLEAN,
            is_demo BOOLEAN NOT NULL DEFAULT false,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        -- Latest value per (work, source, metric). No primary key: a 1M-work cache holds tens of
        -- millions of rows and an ART index would dominate insert time; writers replace per
        -- (key, source) inside one transaction instead (lib/store/observations.py).
        CREATE TABLE observation (
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            value DOUBLE,
            as_of TIMESTAMP NOT NULL
        );

        -- Every value ever stored, for trends drawn from our own snapshots.
        CREATE TABLE observation_history (
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            value DOUBLE,
            as_of TIMESTAMP NOT NULL
        );

        -- Latest fetch outcome per (work, source): what separates missing from zero.
        CREATE TABLE fetch_log (
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('ok', 'not_found', 'error', 'skipped')),
            http_status INTEGER,
            fetched_at TIMESTAMP NOT NULL,
            message VARCHAR
        );

        CREATE SEQUENCE raw_id_seq;
        CREATE TABLE raw (
            id BIGINT PRIMARY KEY DEFAULT nextval('raw_id_seq'),
            source VARCHAR NOT NULL,
            request VARCHAR NOT NULL,     -- method and URL with keys redacted
            http_status INTEGER,
            fetched_at TIMESTAMP NOT NULL,
            body VARCHAR
        );
        -- Which raw response each (work, source) value came from.
        CREATE TABLE raw_work (
            raw_id BIGINT NOT NULL,
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL
        );

        CREATE TABLE per_year (
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,      -- 'citations' or an attention metric name
            year INTEGER NOT NULL,
            value DOUBLE NOT NULL
        );

        CREATE TABLE collection (
            name VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,        -- portfolio, upload, reference, candidate
            description VARCHAR,
            is_demo BOOLEAN NOT NULL DEFAULT false,
            meta JSON,                    -- person, ORCID, career start, field, input format, ...
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );

        CREATE TABLE collection_item (
            collection VARCHAR NOT NULL,
            position INTEGER NOT NULL,    -- 1-based input order
            input VARCHAR,                -- the raw identifier text as given
            key VARCHAR,                  -- null when invalid
            status VARCHAR NOT NULL,      -- valid, invalid, duplicate
            reason VARCHAR,               -- why invalid, or how resolved
            duplicate_of INTEGER,         -- position of the first occurrence
            extra JSON,                   -- the row's other columns, carried to exports
            author_position VARCHAR,      -- first, last, middle, corresponding (from a source)
            PRIMARY KEY (collection, position)
        );

        -- The person's own corrections; kept apart so a re-upload never loses them.
        CREATE TABLE collection_correction (
            collection VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            excluded BOOLEAN NOT NULL DEFAULT false,
            author_position VARCHAR,
            note VARCHAR,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (collection, key)
        );

        CREATE TABLE setting (
            name VARCHAR PRIMARY KEY,
            value JSON
        );
        """,
    ),
    (
        "004_cohort_distribution_cache",
        """
        -- Reference distributions for cohort percentiles (lib/store/cohorts.py): value counts per
        -- cohort, computed once per state of the cache (fingerprint) and reference set (spec), so
        -- placing a collection among a million works does not rescan the observations.
        CREATE TABLE cohort_distribution (
            spec VARCHAR NOT NULL,         -- measure, cohort columns, reference set, weights
            fingerprint VARCHAR NOT NULL,  -- state of the cache the counts were computed from
            year INTEGER,
            cohort VARCHAR,                -- journal, field, topic or type when the spec uses one
            value DOUBLE NOT NULL,
            n BIGINT NOT NULL,
            computed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        """,
    ),
    (
        "005_work_metrics_read_model",
        """
        -- One row per work: the winning latest value of every canonical metric and each web
        -- source's latest status. Reading a 500-work collection from 20M observation rows scans
        -- them all (DuckDB has no index lookup for a join; measured 0.5-4.8 s); this narrow
        -- 1-row-per-work table makes it a ~1M-row scan. Writers mark touched works dirty in the
        -- same transaction as their batch; lib/store/work_metrics.py rebuilds dirty rows.
        CREATE TABLE work_metrics (
            key VARCHAR NOT NULL,
            citations_openalex DOUBLE,
            citations_crossref DOUBLE,
            citations_icite DOUBLE,
            citations_europepmc DOUBLE,
            citations_semanticscholar DOUBLE,
            citations_scopus DOUBLE,
            citations_wos DOUBLE,
            citations_pmc DOUBLE,
            rcr DOUBLE,
            nih_percentile DOUBLE,
            apt DOUBLE,
            clinical_citations DOUBLE,
            fwci DOUBLE,
            citation_percentile DOUBLE,
            views DOUBLE,
            downloads DOUBLE,
            mendeley_readers DOUBLE,
            citeulike_readers DOUBLE,
            bookmarks DOUBLE,
            news_mentions DOUBLE,
            blog_mentions DOUBLE,
            policy_mentions DOUBLE,
            patent_mentions DOUBLE,
            wikipedia_mentions DOUBLE,
            peer_review_mentions DOUBLE,
            comments DOUBLE,
            x_posts DOUBLE,
            facebook_mentions DOUBLE,
            reddit_mentions DOUBLE,
            bluesky_mentions DOUBLE,
            video_mentions DOUBLE,
            attention_score DOUBLE,
            altmetric_score DOUBLE,
            openalex_status VARCHAR,
            icite_status VARCHAR,
            crossref_status VARCHAR,
            europepmc_status VARCHAR,
            semanticscholar_status VARCHAR,
            altmetric_status VARCHAR,
            orcid_status VARCHAR,
            wikipedia_status VARCHAR
        );
        CREATE TABLE work_metrics_dirty (key VARCHAR NOT NULL);
        -- Works that existed before this migration are built on first use.
        INSERT INTO work_metrics_dirty SELECT DISTINCT key FROM observation
            UNION SELECT DISTINCT key FROM fetch_log;
        """,
    ),
    (
        "006_icite_provisional_flag",
        """
        -- iCite's own "provisional RCR" flag (the last ~2 fiscal years), kept with the read model
        -- so pages need not guess it from the publication year. Derived from iCite's fetch_log
        -- message, which the iCite parser writes for every provisional RCR.
        ALTER TABLE work_metrics ADD COLUMN rcr_provisional BOOLEAN;
        INSERT INTO work_metrics_dirty SELECT DISTINCT key FROM fetch_log WHERE source = 'icite';
        """,
    ),
    (
        "010_altmetric_x_accounts",
        """
        -- Altmetric's `cited_by_tweeters_count` counts X *accounts* (its field glossary), not
        -- posts; it was stored as x_posts. Posts (Explorer exports, PLOS ALM backtweets) keep
        -- x_posts. Only the Altmetric API source's values move; history moves with them so a
        -- trend never mixes the two counts.
        UPDATE observation SET metric = 'x_accounts'
            WHERE source = 'altmetric' AND metric = 'x_posts';
        UPDATE observation_history SET metric = 'x_accounts'
            WHERE source = 'altmetric' AND metric = 'x_posts';
        UPDATE per_year SET metric = 'x_accounts'
            WHERE source = 'altmetric' AND metric = 'x_posts';
        ALTER TABLE work_metrics ADD COLUMN x_accounts DOUBLE;
        INSERT INTO work_metrics_dirty SELECT DISTINCT key FROM observation
            WHERE source = 'altmetric';
        """,
    ),
    (
        "010_mention",
        """
        -- The places that mention a work (Wikipedia articles linking its DOI), so a page can list
        -- the actual mentions behind a count. Replaced per (key, source) with each answer.
        CREATE TABLE mention (
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            url VARCHAR NOT NULL,         -- the mentioning page
            link VARCHAR,                 -- the link to the work as that page stores it
            fetched_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "011_reference_matching",
        """
        -- References without identifiers (a CV, a reference list) and what matching decided
        -- (lib/ingest/matching.py). One row per input reference, in input order, so an export lists
        -- every reference with nothing dropped; candidates are kept for the person's review.
        CREATE TABLE match_reference (
            collection VARCHAR NOT NULL,
            position INTEGER NOT NULL,     -- 1-based order among the references
            input VARCHAR NOT NULL,        -- the reference as given
            parsed JSON,                   -- fields the parser read
            status VARCHAR NOT NULL CHECK (status IN
                ('pending', 'auto', 'accepted', 'review', 'rejected', 'unmatched', 'unparsed')),
            reason VARCHAR,                -- why unmatched / unparsed / waiting
            chosen_key VARCHAR,            -- the work key once matched
            probability DOUBLE,            -- of the best (or chosen) candidate
            looked_up_at TIMESTAMP,
            decided_by VARCHAR,            -- model, person
            decided_at TIMESTAMP,
            PRIMARY KEY (collection, position)
        );
        CREATE TABLE match_candidate (
            collection VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            rank INTEGER NOT NULL,         -- 1 = most probable
            key VARCHAR NOT NULL,
            source VARCHAR NOT NULL,       -- crossref, openalex, ecitmatch, joined with +
            doi VARCHAR,
            pmid VARCHAR,
            openalex VARCHAR,
            title VARCHAR,
            authors VARCHAR,
            year INTEGER,
            journal VARCHAR,
            volume VARCHAR,
            first_page VARCHAR,
            type VARCHAR,
            probability DOUBLE NOT NULL,
            fields JSON,                   -- per field: reference, candidate, agrees/differs/missing
            PRIMARY KEY (collection, position, rank)
        );
        """,
    ),
    (
        "012_work_version",
        """
        -- Preprint <-> published links as the sources assert them (Crossref relation, OpenAlex
        -- locations, Europe PMC "Preprint of"). Both sides are work keys; each is its own work
        -- with its own observations, never merged. Replaced per (asserted_key, source) on refetch.
        CREATE TABLE work_version (
            published_key VARCHAR NOT NULL,
            preprint_key VARCHAR NOT NULL,
            relation VARCHAR NOT NULL,     -- as asserted: has-preprint or is-preprint-of
            source VARCHAR NOT NULL,
            asserted_key VARCHAR NOT NULL, -- the work whose record said it
            evidence VARCHAR,
            found_at TIMESTAMP NOT NULL
        );
        """,
    ),
]
