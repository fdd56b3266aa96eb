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
]
