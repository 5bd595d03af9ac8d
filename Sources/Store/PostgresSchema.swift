import Foundation
import Settings

/// The pharmacy's tables on a PostgreSQL server: the same records, rules and guards as the SQLite schema.
///
/// The SQLite file grew through fourteen migrations; a PostgreSQL database starts at their end, so its first
/// migration is the whole of today's schema, column for column, with each type and guard in PostgreSQL's terms:
/// - `INTEGER` is `BIGINT`; an `INTEGER PRIMARY KEY` is an identity column; `BLOB` is `BYTEA`;
/// - `COLLATE NOCASE` is `citext` (a trusted extension the database's owner may create), so a lot number or a
///   login matches in any letter case, as on SQLite;
/// - `GLOB` date checks are regular expressions; `IS NOT` is `IS DISTINCT FROM`;
/// - each `RAISE(ABORT, ...)` trigger calls `compound_refuse`, which raises the same message.
///
/// On top of the triggers, PostgreSQL keeps the records from the role a station connects as (`compound`): it
/// may read every table and add records, and change only the columns the product changes (a batch's status
/// and verification, a lot's status and certificate, a user's PIN and state, a patient's contact, an entry's
/// end and review). It may delete nothing and truncate nothing; the stock and the fills waiting for their check
/// are kept by triggers that run as the owner, so no station writes them directly. The owner runs the
/// migrations.
///
/// The audit trail's capture is permanent here (`captureSQL`), where SQLite makes it per connection: every
/// record table's trigger copies each change to the writing session's pending table, which only compound's
/// sessions have, and the write tallies (`tallySQL`) count every row written, as SQLite's do.
enum PostgresSchema {
  /// The login role every station connects as; the migrations grant it what a station needs and no more.
  static let stationRole = "compound"

  /// The migrations in order, each named as the table of applied migrations records it.
  static let migrations: [(identifier: String, sql: String)] = [
    ("v1 the pharmacy's records", v1),
    // pg_dump reads each identity column's counter; reading one changes nothing (taking a number needs USAGE).
    (
      "v2 stations may read the identity counters, for pg_dump",
      "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \(stationRole)"
    ),
    ("v3 the stores of a chain", v3),
  ]

  /// The tables whose rows are records: no row is ever deleted, no table ever truncated.
  static let keptTables: [(table: String, message: String)] = [
    ("ingredient", "catalog entries are kept: the records that used them name them"),
    ("formula", "formula versions are kept: they are legal records"),
    ("certificate", "a certificate of analysis is kept as received"),
    ("lot", "lots are kept: they are legal records; reject or recall instead"),
    ("batch", "compounding records are kept: they are legal records"),
    ("batch_component", "compounding records are kept: they are legal records"),
    ("weight_check", "weight checks are kept: they are legal records"),
    ("status_change", "status history is kept: it is a legal record"),
    ("movement", "stock movements are append-only: record a correcting movement"),
    ("assay", "assay results are kept: they are legal records"),
    ("patient", "patients are kept with the fills made for them"),
    ("prescriber", "prescribers are kept with the prescriptions they wrote"),
    ("prescription", "prescriptions are kept: they are legal records"),
    ("fill", "fills are kept: they are legal records"),
    ("label_print", "the label print log is kept"),
    ("label_delivery_failure", "a failed delivery is a record"),
    ("app_user", "users are kept for the records they signed: disable them instead"),
    ("audit", "the audit trail is kept: it is a legal record"),
    ("patient_entry", "medication and allergy entries are kept: stop or remove them with a date instead"),
    ("clinical_rules", "rules versions are kept: the records checked against them name them"),
    ("prescription_end", "a discontinuation is a legal record"),
    ("fill_void", "a void is a legal record"),
    ("fill_check", "a final check is a legal record"),
    ("installation", "the installation is kept"),
    ("signature_failure", "a failed signature is a record"),
    ("restore_log", "a restore is a record"),
    ("balance_check", "a balance check is a record"),
    ("trituration_formula", "formula versions are kept: they are legal records"),
    ("trituration", "compounding records are kept: they are legal records"),
    ("trituration_assay", "assay results are kept: they are legal records"),
    ("stock", "stock rows are kept: move stock with a movement"),
    ("audit_checkpoint", "verification checkpoints are kept"),
    ("store", "stores are kept: the records they hold name them"),
    ("store_record", "a record stays at the store that wrote it"),
  ]

  /// The tables whose rows never change once written, with the message a change is refused with.
  static let finalTables: [(table: String, message: String)] = [
    ("formula", "a formula version never changes: add a new version"),
    ("certificate", "a certificate of analysis is kept as received"),
    ("batch_component", "a compounding record never changes: record a correction instead"),
    ("weight_check", "a weight check never changes: record a new one"),
    ("status_change", "status history never changes"),
    ("movement", "stock movements are append-only: record a correcting movement"),
    ("assay", "an assay result never changes: record a new result"),
    ("prescription", "a prescription never changes: enter a new one"),
    ("fill", "a fill never changes: record a return or a new fill"),
    ("label_print", "the label print log is append-only"),
    ("label_delivery_failure", "a failed delivery is a record"),
    ("audit", "the audit trail is append-only"),
    ("clinical_rules", "a rules version never changes: import a new version"),
    ("prescription_end", "a discontinued prescription stays discontinued: the prescriber writes a new one"),
    ("fill_void", "a voided fill stays voided: fill again instead"),
    ("fill_check", "a final check never changes"),
    ("installation", "the installation never changes"),
    ("signature_failure", "a failed signature is a record"),
    ("restore_log", "a restore is a record"),
    ("balance_check", "a balance check is a record: record a new one"),
    ("trituration_formula", "a formula version never changes: add a new version"),
    ("trituration", "a compounding record never changes: record a correction instead"),
    ("trituration_assay", "an assay result never changes: record a new result"),
    ("audit_checkpoint", "a verification checkpoint never changes"),
    ("store", "a store keeps its code and name: the records it holds name it"),
    ("store_record", "a record stays at the store that wrote it"),
  ]

  /// The columns a station may change, by table; every other table and column it may only read and add to.
  static let stationUpdates: [(table: String, columns: [String])] = [
    ("lot", ["status", "certificate_sha256"]),
    ("batch", ["status", "verified_by", "verified_by_name", "verified_at"]),
    (
      "app_user",
      [
        "pin_hash", "pin_set_at", "must_change_pin", "pin_known_to", "active", "disabled_at", "disabled_by",
        "disabled_reason",
      ]
    ),
    ("patient", ["name", "address", "phone"]),
    (
      "patient_entry",
      [
        "ended_on", "ended_at", "ended_by", "end_reason", "reviewed_as", "reviewed_at", "reviewed_by",
        "review_reason",
      ]
    ),
  ]

  /// The tables only the owner's triggers write: a station reads them.
  static let derivedTables = ["stock", "fill_pending"]

  /// A `YYYY-MM-DD` text, as the SQLite schema's `GLOB` checks it.
  private static let day = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"

  static let v1 = """
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE FUNCTION compound_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'P0001'; END $$;
    CREATE TABLE ingredient (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      code CITEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
      name TEXT NOT NULL CHECK (length(name) > 0),
      kind TEXT NOT NULL CHECK (kind IN ('api','excipient','shell','container')),
      salt_form TEXT,
      mw_salt TEXT,
      mw_base TEXT,
      density TEXT,
      capsule_size TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TABLE formula (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      code CITEXT NOT NULL,
      version BIGINT NOT NULL CHECK (version >= 1),
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      source TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      approved_by TEXT,
      UNIQUE (code, version)
    );
    CREATE TABLE certificate (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      file_name TEXT NOT NULL,
      bytes BYTEA NOT NULL,
      stored_at TEXT NOT NULL,
      stored_by TEXT NOT NULL
    );
    CREATE TABLE lot (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_number CITEXT NOT NULL UNIQUE,
      ingredient_id BIGINT NOT NULL REFERENCES ingredient(id),
      supplier TEXT NOT NULL CHECK (length(supplier) > 0),
      supplier_lot TEXT NOT NULL CHECK (length(supplier_lot) > 0),
      expiry TEXT NOT NULL CHECK (expiry ~ \(day)),
      received_quantity BIGINT NOT NULL CHECK (received_quantity > 0),
      assay_percent TEXT,
      assay_basis TEXT CHECK (assay_basis IN ('as-is','anhydrous')),
      water_percent TEXT,
      cost_cents BIGINT CHECK (cost_cents >= 0),
      status TEXT NOT NULL CHECK (status IN ('quarantined','released','rejected','on_hold','recalled','expired')),
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      gtin TEXT CHECK (gtin IS NULL OR length(gtin) = 14),
      serial TEXT,
      certificate_sha256 TEXT REFERENCES certificate(sha256),
      trituration_parts BIGINT CHECK (trituration_parts IS NULL OR trituration_parts >= 2),
      api_fraction TEXT,
      trituration_diluent TEXT
    );
    CREATE INDEX lot_by_ingredient ON lot(ingredient_id, expiry);
    CREATE INDEX lot_by_supplier_lot ON lot(ingredient_id, supplier, supplier_lot);
    CREATE TABLE batch (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_number CITEXT NOT NULL UNIQUE,
      formula_id BIGINT NOT NULL REFERENCES formula(id),
      quantity BIGINT NOT NULL CHECK (quantity > 0),
      capsules_planned BIGINT NOT NULL CHECK (capsules_planned >= quantity),
      actual_yield BIGINT NOT NULL CHECK (actual_yield > 0 AND actual_yield <= capsules_planned),
      theoretical_fill_ug BIGINT NOT NULL CHECK (theoretical_fill_ug > 0),
      compounding_date TEXT NOT NULL,
      bud TEXT NOT NULL,
      bud_basis TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('quarantined','released','rejected','on_hold','recalled','expired')),
      compounded_by TEXT NOT NULL,
      compounded_by_name TEXT NOT NULL,
      compounded_at TEXT NOT NULL,
      verified_by TEXT,
      verified_by_name TEXT,
      verified_at TEXT,
      deviation TEXT,
      plan TEXT NOT NULL,
      record_check TEXT NOT NULL,
      rules_version BIGINT,
      CHECK (verified_by IS NULL OR verified_by <> compounded_by)
    );
    CREATE INDEX batch_by_formula ON batch(formula_id);
    CREATE INDEX batch_by_time ON batch(compounded_at);
    CREATE INDEX batch_quarantined ON batch(id) WHERE status = 'quarantined';
    CREATE TABLE batch_component (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      batch_id BIGINT NOT NULL REFERENCES batch(id),
      lot_id BIGINT NOT NULL REFERENCES lot(id),
      role TEXT NOT NULL CHECK (role IN ('api','filler','shell')),
      planned BIGINT NOT NULL CHECK (planned > 0),
      measured BIGINT NOT NULL CHECK (measured > 0),
      UNIQUE (batch_id, role)
    );
    CREATE INDEX batch_component_by_lot ON batch_component(lot_id);
    CREATE TABLE weight_check (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      batch_id BIGINT NOT NULL REFERENCES batch(id),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL,
      passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
      result TEXT NOT NULL
    );
    CREATE INDEX weight_check_by_batch ON weight_check(batch_id);
    CREATE TABLE status_change (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_id BIGINT REFERENCES lot(id),
      batch_id BIGINT REFERENCES batch(id),
      from_status TEXT,
      to_status TEXT NOT NULL CHECK (to_status IN ('quarantined','released','rejected','on_hold','recalled','expired')),
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL,
      reason TEXT,
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    CREATE INDEX status_change_by_lot ON status_change(lot_id);
    CREATE INDEX status_change_by_batch ON status_change(batch_id);
    CREATE TABLE movement (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_id BIGINT REFERENCES lot(id),
      batch_id BIGINT REFERENCES batch(id),
      kind TEXT NOT NULL CHECK (kind IN
        ('received','consumed','produced','dispensed','adjusted','wasted','expired','returned')),
      quantity BIGINT NOT NULL CHECK (quantity <> 0),
      moved_at TEXT NOT NULL,
      moved_by TEXT NOT NULL,
      for_batch_id BIGINT REFERENCES batch(id),
      reason TEXT,
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    CREATE INDEX movement_by_lot ON movement(lot_id);
    CREATE INDEX movement_by_batch ON movement(batch_id);
    CREATE INDEX movement_by_time ON movement(moved_at);
    CREATE TABLE assay (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      batch_id BIGINT NOT NULL REFERENCES batch(id),
      lab TEXT NOT NULL CHECK (length(lab) > 0),
      method TEXT NOT NULL CHECK (length(method) > 0),
      tested_on TEXT NOT NULL,
      percent TEXT NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('pass','pass_with_warning','fail')),
      uniformity_verdict TEXT CHECK (uniformity_verdict IN ('pass','fail','incomplete')),
      certificate_path TEXT,
      certificate_sha256 TEXT CHECK (certificate_sha256 IS NULL OR length(certificate_sha256) = 64),
      recorded_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      result TEXT NOT NULL
    );
    CREATE INDEX assay_by_batch ON assay(batch_id);
    CREATE TABLE patient (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      date_of_birth TEXT NOT NULL,
      address TEXT NOT NULL,
      phone TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TABLE prescriber (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      npi TEXT NOT NULL UNIQUE CHECK (length(npi) = 10),
      phone TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE prescription (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      rx_number TEXT NOT NULL UNIQUE,
      patient_id BIGINT NOT NULL REFERENCES patient(id),
      prescriber_id BIGINT NOT NULL REFERENCES prescriber(id),
      refills BIGINT NOT NULL CHECK (refills BETWEEN 0 AND 11),
      written_on TEXT NOT NULL,
      steps TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE INDEX prescription_by_patient ON prescription(patient_id);
    CREATE TABLE fill (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      prescription_id BIGINT NOT NULL REFERENCES prescription(id),
      fill_number BIGINT NOT NULL CHECK (fill_number >= 1),
      step BIGINT NOT NULL CHECK (step >= 0),
      batch_id BIGINT NOT NULL REFERENCES batch(id),
      quantity BIGINT NOT NULL CHECK (quantity > 0),
      filled_on TEXT NOT NULL,
      filled_at TEXT NOT NULL,
      filled_by TEXT NOT NULL,
      decision TEXT NOT NULL,
      price TEXT,
      rules_version BIGINT,
      UNIQUE (prescription_id, fill_number)
    );
    CREATE INDEX fill_by_batch ON fill(batch_id);
    CREATE INDEX fill_by_time ON fill(filled_at);
    CREATE TABLE label_print (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      fill_id BIGINT REFERENCES fill(id),
      batch_id BIGINT NOT NULL REFERENCES batch(id),
      layout TEXT NOT NULL,
      layout_version BIGINT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('pdf','png','zpl','text')),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      destination TEXT NOT NULL,
      copies BIGINT NOT NULL CHECK (copies BETWEEN 1 AND 99),
      reprint BIGINT NOT NULL CHECK (reprint IN (0, 1)),
      reason TEXT,
      printed_at TEXT NOT NULL,
      printed_by TEXT NOT NULL,
      CHECK (reprint = 0 OR length(reason) > 0)
    );
    CREATE INDEX label_print_by_fill ON label_print(fill_id);
    CREATE INDEX label_print_by_batch ON label_print(batch_id);
    CREATE TABLE label_delivery_failure (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      label_print_id BIGINT NOT NULL UNIQUE REFERENCES label_print(id),
      failed_at TEXT NOT NULL,
      error TEXT NOT NULL
    );
    CREATE TABLE app_user (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      login CITEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 40),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role TEXT NOT NULL CHECK (role IN ('technician','pharmacist')),
      pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$%'),
      active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      disabled_at TEXT,
      disabled_by TEXT,
      disabled_reason TEXT,
      pin_set_at TEXT,
      must_change_pin BIGINT NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
      pin_known_to TEXT
    );
    CREATE TABLE audit (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      tx BIGINT NOT NULL,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      command TEXT NOT NULL,
      table_name TEXT NOT NULL,
      row_id BIGINT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('insert','update','delete','baseline')),
      lot CITEXT,
      old_row TEXT,
      new_row TEXT,
      prev_hash TEXT NOT NULL UNIQUE,
      hash TEXT NOT NULL UNIQUE,
      row_sha256 TEXT
    );
    CREATE INDEX audit_by_row ON audit(table_name, row_id);
    CREATE INDEX audit_by_lot ON audit(lot);
    CREATE INDEX audit_by_time ON audit(at);
    CREATE INDEX audit_by_actor ON audit(actor, at);
    CREATE TABLE patient_entry (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      patient_id BIGINT NOT NULL REFERENCES patient(id),
      kind TEXT NOT NULL CHECK (kind IN ('medication','allergy')),
      text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
      started_on TEXT CHECK (started_on IS NULL OR started_on ~ \(day)),
      added_at TEXT NOT NULL,
      added_by TEXT NOT NULL,
      ended_on TEXT CHECK (ended_on IS NULL OR ended_on ~ \(day)),
      ended_at TEXT,
      ended_by TEXT,
      end_reason TEXT,
      reviewed_as TEXT,
      reviewed_at TEXT,
      reviewed_by TEXT,
      review_reason TEXT,
      CHECK ((ended_on IS NULL AND ended_by IS NULL AND end_reason IS NULL)
        OR (ended_on IS NOT NULL AND ended_by IS NOT NULL AND length(end_reason) > 0)),
      CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL))
    );
    CREATE INDEX patient_entry_by_patient ON patient_entry(patient_id);
    CREATE TABLE clinical_rules (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      version BIGINT NOT NULL UNIQUE CHECK (version >= 1),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      rules TEXT NOT NULL,
      source TEXT NOT NULL,
      reason TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL
    );
    CREATE TABLE prescription_end (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      prescription_id BIGINT NOT NULL UNIQUE REFERENCES prescription(id),
      ended_on TEXT NOT NULL,
      ended_at TEXT NOT NULL,
      ended_by TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) > 0)
    );
    CREATE TABLE fill_void (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      fill_id BIGINT NOT NULL UNIQUE REFERENCES fill(id),
      voided_at TEXT NOT NULL,
      voided_by TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) > 0)
    );
    CREATE TABLE fill_check (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      fill_id BIGINT NOT NULL UNIQUE REFERENCES fill(id),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL
    );
    CREATE TABLE fill_pending (fill_id BIGINT PRIMARY KEY REFERENCES fill(id));
    CREATE TABLE installation (
      id BIGINT PRIMARY KEY CHECK (id = 1),
      pharmacy_id TEXT NOT NULL CHECK (length(pharmacy_id) = 36),
      created_at TEXT NOT NULL,
      training BIGINT NOT NULL CHECK (training IN (0, 1))
    );
    CREATE TABLE signature_failure (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      login TEXT NOT NULL,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      locked BIGINT NOT NULL CHECK (locked IN (0, 1))
    );
    CREATE INDEX signature_failure_by_login ON signature_failure(login, at);
    CREATE TABLE restore_log (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      restored_at TEXT NOT NULL,
      restored_by TEXT NOT NULL,
      backup_path TEXT NOT NULL,
      backup_sha256 TEXT NOT NULL CHECK (length(backup_sha256) = 64),
      backup_head TEXT NOT NULL,
      replaced_head TEXT,
      replaced_kept_at TEXT,
      foreign_reason TEXT
    );
    CREATE TABLE balance_check (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      balance_id CITEXT NOT NULL,
      balance_serial TEXT,
      checked_on TEXT NOT NULL CHECK (checked_on ~ \(day)),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL,
      test_weight_ug BIGINT NOT NULL CHECK (test_weight_ug > 0),
      reading_ug BIGINT NOT NULL,
      tolerance_percent TEXT NOT NULL,
      passed BIGINT NOT NULL CHECK (passed IN (0, 1))
    );
    CREATE INDEX balance_check_by_day ON balance_check(balance_id, checked_on);
    CREATE INDEX balance_check_on_day ON balance_check(checked_on);
    CREATE TABLE trituration_formula (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      code CITEXT NOT NULL,
      version BIGINT NOT NULL CHECK (version >= 1),
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      source TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      approved_by TEXT,
      UNIQUE (code, version)
    );
    CREATE TABLE trituration (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_id BIGINT NOT NULL UNIQUE REFERENCES lot(id),
      formula_id BIGINT NOT NULL REFERENCES trituration_formula(id),
      api_lot_id BIGINT NOT NULL REFERENCES lot(id),
      diluent_lot_id BIGINT NOT NULL REFERENCES lot(id),
      api_weighed_ug BIGINT NOT NULL CHECK (api_weighed_ug > 0),
      diluent_weighed_ug BIGINT NOT NULL CHECK (diluent_weighed_ug > 0),
      compounded_by TEXT NOT NULL,
      compounded_by_name TEXT NOT NULL,
      compounded_at TEXT NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX trituration_by_api_lot ON trituration(api_lot_id);
    CREATE INDEX trituration_by_diluent_lot ON trituration(diluent_lot_id);
    CREATE TABLE trituration_assay (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      trituration_id BIGINT NOT NULL REFERENCES trituration(id),
      lab TEXT NOT NULL CHECK (length(lab) > 0),
      method TEXT NOT NULL CHECK (length(method) > 0),
      tested_on TEXT NOT NULL,
      percent TEXT NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('pass','pass_with_warning','fail')),
      limits TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL
    );
    CREATE INDEX trituration_assay_by_trituration ON trituration_assay(trituration_id);
    CREATE TABLE stock (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      lot_id BIGINT UNIQUE REFERENCES lot(id),
      batch_id BIGINT UNIQUE REFERENCES batch(id),
      on_hand BIGINT NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    CREATE INDEX stock_held_by_batch ON stock(batch_id) WHERE batch_id IS NOT NULL AND on_hand > 0;
    CREATE INDEX stock_held_by_lot ON stock(lot_id) WHERE lot_id IS NOT NULL AND on_hand > 0;
    CREATE TABLE audit_checkpoint (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      entry BIGINT NOT NULL,
      hash TEXT NOT NULL,
      tally TEXT NOT NULL,
      verified_at TEXT NOT NULL,
      "full" BIGINT NOT NULL CHECK ("full" IN (0, 1))
    );

    -- What changes only as a whole record allows.
    CREATE TRIGGER batch_record_is_final BEFORE UPDATE ON batch FOR EACH ROW
    WHEN (NEW.lot_number IS DISTINCT FROM OLD.lot_number OR NEW.formula_id IS DISTINCT FROM OLD.formula_id
      OR NEW.quantity IS DISTINCT FROM OLD.quantity OR NEW.capsules_planned IS DISTINCT FROM OLD.capsules_planned
      OR NEW.actual_yield IS DISTINCT FROM OLD.actual_yield
      OR NEW.theoretical_fill_ug IS DISTINCT FROM OLD.theoretical_fill_ug
      OR NEW.compounding_date IS DISTINCT FROM OLD.compounding_date OR NEW.bud IS DISTINCT FROM OLD.bud
      OR NEW.bud_basis IS DISTINCT FROM OLD.bud_basis OR NEW.compounded_by IS DISTINCT FROM OLD.compounded_by
      OR NEW.compounded_at IS DISTINCT FROM OLD.compounded_at OR NEW.deviation IS DISTINCT FROM OLD.deviation
      OR NEW.plan IS DISTINCT FROM OLD.plan OR NEW.record_check IS DISTINCT FROM OLD.record_check
      OR (OLD.verified_by IS NOT NULL AND NEW.verified_by IS DISTINCT FROM OLD.verified_by))
    EXECUTE FUNCTION compound_refuse('a compounding record never changes: record a correction instead');
    CREATE TRIGGER batch_rules_version_is_final BEFORE UPDATE OF rules_version ON batch FOR EACH ROW
    WHEN (OLD.rules_version IS DISTINCT FROM NEW.rules_version)
    EXECUTE FUNCTION compound_refuse('a compounding record never changes: record a correction instead');
    CREATE TRIGGER batch_verifier_is_another BEFORE UPDATE OF verified_by ON batch FOR EACH ROW
    WHEN (NEW.verified_by IS NOT NULL AND lower(NEW.verified_by) = lower(NEW.compounded_by))
    EXECUTE FUNCTION compound_refuse('the compounder of a batch never verifies it');
    CREATE TRIGGER lot_receipt_is_final BEFORE UPDATE ON lot FOR EACH ROW
    WHEN (NEW.lot_number IS DISTINCT FROM OLD.lot_number OR NEW.ingredient_id IS DISTINCT FROM OLD.ingredient_id
      OR NEW.supplier IS DISTINCT FROM OLD.supplier OR NEW.supplier_lot IS DISTINCT FROM OLD.supplier_lot
      OR NEW.expiry IS DISTINCT FROM OLD.expiry OR NEW.received_quantity IS DISTINCT FROM OLD.received_quantity
      OR NEW.assay_percent IS DISTINCT FROM OLD.assay_percent OR NEW.assay_basis IS DISTINCT FROM OLD.assay_basis
      OR NEW.water_percent IS DISTINCT FROM OLD.water_percent OR NEW.gtin IS DISTINCT FROM OLD.gtin
      OR (OLD.certificate_sha256 IS NOT NULL AND NEW.certificate_sha256 IS DISTINCT FROM OLD.certificate_sha256)
      OR NEW.trituration_parts IS DISTINCT FROM OLD.trituration_parts
      OR NEW.api_fraction IS DISTINCT FROM OLD.api_fraction
      OR NEW.trituration_diluent IS DISTINCT FROM OLD.trituration_diluent)
    EXECUTE FUNCTION compound_refuse('a receipt never changes: receive again or reject the lot');
    CREATE TRIGGER users_keep_their_identity BEFORE UPDATE ON app_user FOR EACH ROW
    WHEN (NEW.login IS DISTINCT FROM OLD.login OR NEW.name IS DISTINCT FROM OLD.name
      OR NEW.role IS DISTINCT FROM OLD.role OR NEW.created_at IS DISTINCT FROM OLD.created_at
      OR NEW.created_by IS DISTINCT FROM OLD.created_by OR (OLD.active = 0 AND NEW.active = 1))
    EXECUTE FUNCTION compound_refuse(
      'a user keeps their id, name and role, and a disabled user stays disabled: add a new user');
    CREATE TRIGGER patient_entries_keep_what_was_typed BEFORE UPDATE ON patient_entry FOR EACH ROW
    WHEN (NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.kind IS DISTINCT FROM OLD.kind
      OR NEW.text IS DISTINCT FROM OLD.text OR NEW.started_on IS DISTINCT FROM OLD.started_on
      OR NEW.added_at IS DISTINCT FROM OLD.added_at OR NEW.added_by IS DISTINCT FROM OLD.added_by
      OR (OLD.ended_on IS NOT NULL AND (NEW.ended_on IS DISTINCT FROM OLD.ended_on
        OR NEW.ended_at IS DISTINCT FROM OLD.ended_at OR NEW.ended_by IS DISTINCT FROM OLD.ended_by
        OR NEW.end_reason IS DISTINCT FROM OLD.end_reason))
      OR (OLD.reviewed_at IS NOT NULL AND (NEW.reviewed_as IS DISTINCT FROM OLD.reviewed_as
        OR NEW.reviewed_at IS DISTINCT FROM OLD.reviewed_at OR NEW.reviewed_by IS DISTINCT FROM OLD.reviewed_by
        OR NEW.review_reason IS DISTINCT FROM OLD.review_reason)))
    EXECUTE FUNCTION compound_refuse('a medication or allergy entry keeps what was typed: stop it and add a new one');
    CREATE TRIGGER stock_follows_movements BEFORE UPDATE OF id, lot_id, batch_id ON stock FOR EACH ROW
    EXECUTE FUNCTION compound_refuse('a stock row belongs to its lot or batch for good');

    CREATE FUNCTION compound_fill_checked_by_another() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF lower(NEW.checked_by) = lower((SELECT filled_by FROM fill WHERE id = NEW.fill_id)) THEN
        RAISE EXCEPTION USING
          MESSAGE = 'whoever filled a prescription does not check it: another pharmacist checks it',
          ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fill_checked_by_another BEFORE INSERT ON fill_check FOR EACH ROW
    EXECUTE FUNCTION compound_fill_checked_by_another();

    -- What only the owner's triggers write: the stock a lot or batch holds, and the fills waiting for a check.
    CREATE FUNCTION compound_stock_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
    BEGIN
      IF TG_TABLE_NAME = 'lot' THEN
        INSERT INTO stock (lot_id) VALUES (NEW.id);
      ELSE
        INSERT INTO stock (batch_id) VALUES (NEW.id);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER lot_has_stock AFTER INSERT ON lot FOR EACH ROW EXECUTE FUNCTION compound_stock_row();
    CREATE TRIGGER batch_has_stock AFTER INSERT ON batch FOR EACH ROW EXECUTE FUNCTION compound_stock_row();
    CREATE FUNCTION compound_stock_moves() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
    BEGIN
      IF NEW.lot_id IS NOT NULL THEN
        UPDATE stock SET on_hand = on_hand + NEW.quantity WHERE lot_id = NEW.lot_id;
      ELSE
        UPDATE stock SET on_hand = on_hand + NEW.quantity WHERE batch_id = NEW.batch_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER movement_keeps_stock AFTER INSERT ON movement FOR EACH ROW
    EXECUTE FUNCTION compound_stock_moves();
    CREATE FUNCTION compound_fill_waits() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
    BEGIN
      IF TG_TABLE_NAME = 'fill' THEN
        INSERT INTO fill_pending (fill_id) VALUES (NEW.id);
      ELSE
        DELETE FROM fill_pending WHERE fill_id = NEW.fill_id;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER fill_waits_for_its_check AFTER INSERT ON fill FOR EACH ROW EXECUTE FUNCTION compound_fill_waits();
    CREATE TRIGGER fill_check_ends_the_wait AFTER INSERT ON fill_check FOR EACH ROW
    EXECUTE FUNCTION compound_fill_waits();
    CREATE TRIGGER fill_void_ends_the_wait AFTER INSERT ON fill_void FOR EACH ROW
    EXECUTE FUNCTION compound_fill_waits();

    """
    + guards(beforeStores)
    + AuditTrail.tables.filter { beforeStores($0.name) }.map(captureSQL).joined()
    + tallySQL
      + """
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
      REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
      GRANT USAGE ON SCHEMA public TO \(stationRole);
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(stationRole);
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO \(stationRole);

      """
    + grants(beforeStores)

  /// Whether `table` was made by v1, before the stores of a chain.
  private static func beforeStores(_ table: String) -> Bool { !AuditTrail.storeTables.contains(table) }

  /// The triggers that refuse to change, delete or truncate the records of the tables `included` takes.
  static func guards(_ included: (String) -> Bool) -> String {
    finalTables.filter { included($0.table) }.map { table, message in
      "CREATE TRIGGER \(table)_never_changes BEFORE UPDATE ON \(table) FOR EACH ROW"
        + " EXECUTE FUNCTION compound_refuse(\(literal(message)));\n"
    }.joined()
      + keptTables.filter { included($0.table) }.map { table, message in
        "CREATE TRIGGER \(table)_is_kept BEFORE DELETE ON \(table) FOR EACH ROW"
          + " EXECUTE FUNCTION compound_refuse(\(literal(message)));\n"
          + "CREATE TRIGGER \(table)_is_never_truncated BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT"
          + " EXECUTE FUNCTION compound_refuse(\(literal(message)));\n"
      }.joined()
  }

  /// What a station may do to the tables `included` takes: add records, and change only `stationUpdates`.
  static func grants(_ included: (String) -> Bool) -> String {
    keptTables.map(\.table).filter { included($0) && !derivedTables.contains($0) }.map {
      "GRANT INSERT ON \($0) TO \(stationRole);\n"
    }.joined()
      + stationUpdates.filter { included($0.table) }.map { table, columns in
        "GRANT UPDATE (\(columns.joined(separator: ", "))) ON \(table) TO \(stationRole);\n"
      }.joined()
  }

  /// The stores of a chain (SQLite's v15): the same tables, guards, capture and grants as v1 gives the others.
  static let v3 =
    """
    CREATE TABLE store (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      code CITEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 8),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      added_at TEXT NOT NULL,
      added_by TEXT NOT NULL
    );
    CREATE TABLE store_record (
      id BIGINT PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
      store_id BIGINT NOT NULL REFERENCES store(id),
      lot_id BIGINT UNIQUE REFERENCES lot(id),
      batch_id BIGINT UNIQUE REFERENCES batch(id),
      prescription_id BIGINT UNIQUE REFERENCES prescription(id),
      CHECK (num_nonnulls(lot_id, batch_id, prescription_id) = 1)
    );
    CREATE INDEX store_record_by_store ON store_record(store_id);

    """
    + guards(AuditTrail.storeTables.contains)
    + AuditTrail.tables.filter { AuditTrail.storeTables.contains($0.name) }.map(captureSQL).joined()
    + AuditTrail.storeTables.sorted().map(tally).joined()
      + """
      REVOKE ALL ON store, store_record FROM PUBLIC;
      GRANT SELECT ON store, store_record TO \(stationRole);
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO \(stationRole);

      """
    + grants(AuditTrail.storeTables.contains)

  /// The permanent trigger that copies each change to `table`'s rows into the session's pending table, for the
  /// seal to chain: the same rows, lot and JSON as SQLite's temporary capture triggers (`AuditTrail.triggers`).
  ///
  /// `row_to_json` writes a row's columns in the table's order, with the bytes SQLite's `json_object` writes for
  /// them (a test compares the two). The pending table is temporary, made by compound for its own session
  /// (`PostgresAudit`): any other session's write to a record table fails here, so nothing is written unrecorded.
  static func captureSQL(_ table: AuditTrail.Audited) -> String {
    let lot = { (row: String) in (table.lot ?? "NULL").replacingOccurrences(of: "{R}", with: row) }
    let pending =
      "INSERT INTO pg_temp.audit_pending (table_name, row_id, op, lot, old_row, new_row, old_full, new_full)"
    return """
      CREATE FUNCTION audit_capture_\(table.name)() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          \(pending)
          VALUES ('\(table.name)', NEW.id, 'insert', \(lot("NEW")), NULL, row_to_json(NEW)::text, NULL, NULL);
        ELSIF TG_OP = 'UPDATE' THEN
          \(pending)
          VALUES ('\(table.name)', NEW.id, 'update', \(lot("NEW")), NULL, NULL, row_to_json(OLD)::text,
            row_to_json(NEW)::text);
        ELSE
          \(pending)
          VALUES ('\(table.name)', OLD.id, 'delete', \(lot("OLD")), row_to_json(OLD)::text, NULL, NULL, NULL);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER audit_capture AFTER INSERT OR UPDATE OR DELETE ON \(table.name) FOR EACH ROW
      EXECUTE FUNCTION audit_capture_\(table.name)();

      """
  }

  /// The body of the function the tally triggers run (checked by `triggersIntact`).
  static let tallyBody = """
    BEGIN UPDATE audit_tally SET writes = writes + 1 WHERE table_name = TG_TABLE_NAME; RETURN NULL; END
    """

  /// Every record table's count of rows written, and the audit trail's own, kept by the owner's triggers
  /// whoever writes: as SQLite's, so that `verify` checks a table written outside compound row by row.
  static let tallySQL =
    """
    CREATE TABLE audit_tally (table_name TEXT PRIMARY KEY, writes BIGINT NOT NULL DEFAULT 0);
    CREATE FUNCTION compound_tally() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$\(tallyBody)$$;

    """
    + (AuditTrail.tables.map(\.name).filter(beforeStores) + ["audit"]).map(tally).joined()

  /// `table`'s row in the tally and the trigger that counts its writes.
  static func tally(_ table: String) -> String {
    "INSERT INTO audit_tally (table_name) VALUES ('\(table)');\n"
      + "CREATE TRIGGER audit_tally AFTER INSERT OR UPDATE OR DELETE ON \(table) FOR EACH ROW"
      + " EXECUTE FUNCTION compound_tally();\n"
  }

  /// Whether every tally and capture trigger is there and on, and the tally function is the one compound made:
  /// an owner who turned one off, or made the tally count nothing, sends `verify` through every row.
  static func triggersIntact(_ connection: any StoreConnection) throws(StoreError) -> Bool {
    let audited = AuditTrail.tables.map(\.name)
    let on = try connection.row(
      """
      SELECT count(*) FILTER (WHERE t.tgname = 'audit_tally') AS tallies,
        count(*) FILTER (WHERE t.tgname = 'audit_capture') AS captures
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND t.tgenabled = 'O'
        AND c.relname::text IN (\(Array(repeating: "?", count: audited.count + 1).joined(separator: ", ")))
      """, (audited + ["audit"]).map { .text($0) })
    let body = try connection.row(
      "SELECT prosrc FROM pg_proc WHERE proname = 'compound_tally' AND pronamespace = current_schema()::regnamespace")
    let tallies = try on?.integer("tallies")
    let captures = try on?.integer("captures")
    let source = try body?.text("prosrc")
    return tallies == Int64(audited.count + 1) && captures == Int64(audited.count) && source == tallyBody
  }

  /// `text` as a SQL string literal.
  static func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}

extension PostgresSchema {
  /// Brings the database at the link up to this version's schema, in one transaction; a no-op when it is.
  ///
  /// Only the database's owner migrates (a station's role may not create tables, and should not); migrations
  /// from two stations at once wait for each other on an advisory lock. A database that records a migration
  /// this version does not know was written by a newer compound and is refused, unchanged.
  static func migrate(_ link: PostgresLink) throws(StoreError) {
    let database = link.address.description
    try link.run("BEGIN")
    do throws(StoreError) {
      try link.run("SELECT pg_advisory_xact_lock(hashtext('compound migrations'))")
      let made = try link.run("SELECT to_regclass('compound_migration') IS NOT NULL").rows.first?.first
      var applied: [String] = []
      if made == .integer(1) {
        applied = try link.run("SELECT identifier FROM compound_migration").rows.compactMap {
          if case .text(let identifier) = $0.first { return identifier }
          return nil
        }
      }
      let known = Set(migrations.map(\.identifier))
      if let unknown = applied.first(where: { !known.contains($0) }) {
        throw StoreError(
          "\(database) was written by a newer version of compound (its migration '\(unknown)'): use that version",
          code: .newerFormat)
      }
      let pending = migrations.filter { !applied.contains($0.identifier) }
      if !pending.isEmpty {
        let owner = try link.run(
          "SELECT pg_catalog.pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()"
        ).rows.first?.first
        guard owner == .integer(1) else {
          throw StoreError(
            "\(database) \(applied.isEmpty ? "has no compound tables yet" : "needs this version's tables"): run"
              + " 'compound init' once as the database's owner (the role that created it), then use this address")
        }
        let station = try link.run("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(stationRole)]).rows
        guard !station.isEmpty else {
          throw StoreError(
            "the PostgreSQL server has no role '\(stationRole)' for the stations to connect as: create it first"
              + " as the server's superuser: CREATE ROLE \(stationRole) LOGIN PASSWORD '...'")
        }
        if made != .integer(1) {
          try link.script("CREATE TABLE compound_migration (identifier TEXT PRIMARY KEY)")
          try link.script("GRANT SELECT ON compound_migration TO \(stationRole)")
        }
        for migration in pending {
          try link.script(migration.sql)
          try link.run("INSERT INTO compound_migration (identifier) VALUES ($1)", [.text(migration.identifier)])
        }
      }
      try link.run("COMMIT")
    } catch {
      _ = try? link.run("ROLLBACK")
      throw error
    }
  }
}

extension PostgresSchema {
  /// What is wrong with a server database's schema: a migration missing or unknown, a trigger off or changed.
  static func problems(_ connection: any StoreConnection) throws(StoreError) -> [String] {
    var problems: [String] = []
    let applied = Set(try connection.values(String.self, sql: "SELECT identifier FROM compound_migration"))
    let known = Set(migrations.map(\.identifier))
    for missing in known.subtracting(applied).sorted() {
      problems.append("migration '\(missing)' was not applied: run 'compound init' as the database's owner")
    }
    for unknown in applied.subtracting(known).sorted() {
      problems.append("migration '\(unknown)' is not this version's: the database was written by a newer compound")
    }
    if try !triggersIntact(connection) {
      problems.append(
        "an audit or tally trigger is disabled, missing or changed: the trail may miss changes; restore the"
          + " owner's triggers with this version's migration and run 'compound audit verify --full'")
    }
    return problems
  }
}
