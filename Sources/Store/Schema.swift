import Foundation
import GRDB

/// The database schema, one migration per shipped change; a shipped migration is never edited.
enum Schema {
  /// `CMPD` as a 32-bit integer: marks a SQLite file as a compound database.
  static let applicationID: Int32 = 0x434D_5044

  /// Every migration, in order; `training` marks a new database as a training one (`init --training`, the demo),
  /// and `now` dates what a migration records.
  static func migrator(training: Bool = false, now: Date = Date()) -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1 catalog, lots, formulas, batches") { db in
      try db.execute(sql: v1)
    }
    migrator.registerMigration("v2 assays") { db in
      try db.execute(sql: v2)
    }
    migrator.registerMigration("v3 patients, prescriptions, fills") { db in
      try db.execute(sql: v3)
    }
    migrator.registerMigration("v4 label print log") { db in
      try db.execute(sql: v4)
    }
    migrator.registerMigration("v5 prices on fills") { db in
      try db.execute(sql: "ALTER TABLE fill ADD COLUMN price TEXT")
    }
    migrator.registerMigration("v6 movements by time") { db in
      try db.execute(sql: "CREATE INDEX movement_by_time ON movement(moved_at)")
    }
    migrator.registerMigration("v7 users and the audit trail") { db in
      try refuseRebuildingTheTrail(db)
      try db.execute(sql: v7)
      try db.execute(sql: AuditTrail.schema)
      let stamp = AuditStamp(
        actor: "compound", command: "upgrade: the audit trail begins", at: Timestamp.string(now))
      for table in AuditTrail.tables { try AuditTrail.baseline(db, table: table.name, stamp: stamp) }
    }
    migrator.registerMigration("v8 no record is ever deleted") { db in
      try db.execute(sql: v8)
    }
    migrator.registerMigration("v9 patient entries, clinical rules, voids and final checks") { db in
      try db.execute(sql: v9)
      let stamp = AuditStamp(
        actor: "compound",
        command: "upgrade: medications and allergies become entries; clinical rules move into the database",
        at: Timestamp.string(now))
      for table in ["patient", "patient_entry", "batch", "fill"] {
        try AuditTrail.baseline(db, table: table, stamp: stamp)
      }
    }
    migrator.registerMigration("v10 signatures, the installation, restores and label deliveries") { db in
      try db.execute(sql: v10)
      try db.execute(
        sql: "INSERT INTO installation (id, pharmacy_id, created_at, training) VALUES (1, ?, ?, ?)",
        arguments: [UUID().uuidString.lowercased(), Timestamp.string(now), training ? 1 : 0])
      let stamp = AuditStamp(
        actor: "compound", command: "upgrade: signatures lock after wrong PINs; the installation is identified",
        at: Timestamp.string(now))
      for table in ["app_user", "installation"] { try AuditTrail.baseline(db, table: table, stamp: stamp) }
    }
    migrator.registerMigration("v11 the second signer is another person in any letter case") { db in
      try db.execute(sql: v11)
    }
    migrator.registerMigration("v12 balances, certificates, containers and triturations") { db in
      try db.execute(sql: v12)
      let stamp = AuditStamp(
        actor: "compound",
        command: "upgrade: a supplier lot may arrive in several containers; lots keep their GTIN and certificate",
        at: Timestamp.string(now))
      try AuditTrail.baseline(db, table: "lot", stamp: stamp)
    }
    migrator.registerMigration("v13 stock apart from records, a trail of changes, verification checkpoints") { db in
      try db.execute(sql: v13)
      let stamp = AuditStamp(
        actor: "compound",
        command:
          "upgrade: stock on hand moves to its own table; updates keep only what changed, with the row's SHA-256",
        at: Timestamp.string(now))
      for table in AuditTrail.tables { try AuditTrail.baseline(db, table: table.name, stamp: stamp) }
      try db.execute(
        sql: "CREATE TABLE audit_tally (table_name TEXT PRIMARY KEY, writes INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID")
      for table in AuditTrail.tables.map(\.name) + ["audit"] where !AuditTrail.storeTables.contains(table) {
        try db.execute(sql: AuditTrail.tallySQL(table: table))
      }
    }
    migrator.registerMigration("v14 the work waiting today: fills not yet checked, batches not yet released") { db in
      try db.execute(sql: v14)
      // Stock is derived, outside the trail, but its writes are counted: the daily doctor compares only the
      // stock the day's movements touched while the count says no other program wrote it.
      try db.execute(sql: AuditTrail.tallySQL(table: "stock"))
    }
    migrator.registerMigration("v15 the stores of a chain") { db in
      try db.execute(sql: v15)
      for table in AuditTrail.storeTables.sorted() { try db.execute(sql: AuditTrail.tallySQL(table: table)) }
    }
    return migrator
  }

  /// The default migrator, for existing files.
  static var migrator: DatabaseMigrator { migrator() }

  /// Refuses to start an audit trail on a file whose schema shows it had one: a trail removed outside compound
  /// must never be replaced by a fresh baseline of whatever the records now say.
  static func refuseRebuildingTheTrail(_ db: Database) throws {
    let names = [
      "audit", "app_user", "ingredients_are_kept", "lots_are_kept", "patients_are_kept", "patient_entry",
      "clinical_rules", "fill_void", "installation", "signature_failure",
    ]
    let later =
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM sqlite_master WHERE name IN (\(names.map { "'\($0)'" }.joined(separator: ",")))")
      ?? 0
    if later > 0 {
      throw StoreError(
        "this database's schema shows it had an audit trail, but its history was removed outside compound: it is not upgraded; restore a backup and run 'compound doctor'"
      )
    }
  }

  static let statuses = "'quarantined','released','rejected','on_hold','recalled','expired'"

  static let v1 = """
    CREATE TABLE ingredient (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 40),
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
    CREATE TABLE lot (
      id INTEGER PRIMARY KEY,
      lot_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
      ingredient_id INTEGER NOT NULL REFERENCES ingredient(id),
      supplier TEXT NOT NULL CHECK (length(supplier) > 0),
      supplier_lot TEXT NOT NULL CHECK (length(supplier_lot) > 0),
      expiry TEXT NOT NULL CHECK (expiry GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      received_quantity INTEGER NOT NULL CHECK (received_quantity > 0),
      assay_percent TEXT,
      assay_basis TEXT CHECK (assay_basis IN ('as-is','anhydrous')),
      water_percent TEXT,
      cost_cents INTEGER CHECK (cost_cents >= 0),
      status TEXT NOT NULL CHECK (status IN (\(statuses))),
      on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      UNIQUE (ingredient_id, supplier, supplier_lot)
    );
    CREATE INDEX lot_by_ingredient ON lot(ingredient_id, expiry);
    CREATE TABLE formula (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL COLLATE NOCASE,
      version INTEGER NOT NULL CHECK (version >= 1),
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      source TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      approved_by TEXT,
      UNIQUE (code, version)
    );
    CREATE TRIGGER formula_versions_never_change BEFORE UPDATE ON formula
    BEGIN SELECT RAISE(ABORT, 'a formula version never changes: add a new version'); END;
    CREATE TRIGGER formula_versions_are_kept BEFORE DELETE ON formula
    BEGIN SELECT RAISE(ABORT, 'formula versions are kept: they are legal records'); END;
    CREATE TABLE batch (
      id INTEGER PRIMARY KEY,
      lot_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
      formula_id INTEGER NOT NULL REFERENCES formula(id),
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      capsules_planned INTEGER NOT NULL CHECK (capsules_planned >= quantity),
      actual_yield INTEGER NOT NULL CHECK (actual_yield > 0 AND actual_yield <= capsules_planned),
      theoretical_fill_ug INTEGER NOT NULL CHECK (theoretical_fill_ug > 0),
      compounding_date TEXT NOT NULL,
      bud TEXT NOT NULL,
      bud_basis TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN (\(statuses))),
      compounded_by TEXT NOT NULL,
      compounded_by_name TEXT NOT NULL,
      compounded_at TEXT NOT NULL,
      verified_by TEXT,
      verified_by_name TEXT,
      verified_at TEXT,
      deviation TEXT,
      plan TEXT NOT NULL,
      record_check TEXT NOT NULL,
      CHECK (verified_by IS NULL OR verified_by <> compounded_by)
    );
    CREATE INDEX batch_by_formula ON batch(formula_id);
    CREATE TRIGGER batch_record_is_final BEFORE UPDATE ON batch
    WHEN NEW.lot_number IS NOT OLD.lot_number OR NEW.formula_id IS NOT OLD.formula_id
      OR NEW.quantity IS NOT OLD.quantity OR NEW.capsules_planned IS NOT OLD.capsules_planned
      OR NEW.actual_yield IS NOT OLD.actual_yield OR NEW.theoretical_fill_ug IS NOT OLD.theoretical_fill_ug
      OR NEW.compounding_date IS NOT OLD.compounding_date OR NEW.bud IS NOT OLD.bud
      OR NEW.bud_basis IS NOT OLD.bud_basis OR NEW.compounded_by IS NOT OLD.compounded_by
      OR NEW.compounded_at IS NOT OLD.compounded_at OR NEW.deviation IS NOT OLD.deviation
      OR NEW.plan IS NOT OLD.plan OR NEW.record_check IS NOT OLD.record_check
      OR (OLD.verified_by IS NOT NULL AND NEW.verified_by IS NOT OLD.verified_by)
    BEGIN SELECT RAISE(ABORT, 'a compounding record never changes: record a correction instead'); END;
    CREATE TRIGGER batch_records_are_kept BEFORE DELETE ON batch
    BEGIN SELECT RAISE(ABORT, 'compounding records are kept: they are legal records'); END;
    CREATE TABLE batch_component (
      id INTEGER PRIMARY KEY,
      batch_id INTEGER NOT NULL REFERENCES batch(id),
      lot_id INTEGER NOT NULL REFERENCES lot(id),
      role TEXT NOT NULL CHECK (role IN ('api','filler','shell')),
      planned INTEGER NOT NULL CHECK (planned > 0),
      measured INTEGER NOT NULL CHECK (measured > 0),
      UNIQUE (batch_id, role)
    );
    CREATE INDEX batch_component_by_lot ON batch_component(lot_id);
    CREATE TABLE weight_check (
      id INTEGER PRIMARY KEY,
      batch_id INTEGER NOT NULL REFERENCES batch(id),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      result TEXT NOT NULL
    );
    CREATE INDEX weight_check_by_batch ON weight_check(batch_id);
    CREATE TABLE status_change (
      id INTEGER PRIMARY KEY,
      lot_id INTEGER REFERENCES lot(id),
      batch_id INTEGER REFERENCES batch(id),
      from_status TEXT,
      to_status TEXT NOT NULL CHECK (to_status IN (\(statuses))),
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL,
      reason TEXT,
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    CREATE INDEX status_change_by_lot ON status_change(lot_id);
    CREATE INDEX status_change_by_batch ON status_change(batch_id);
    CREATE TABLE movement (
      id INTEGER PRIMARY KEY,
      lot_id INTEGER REFERENCES lot(id),
      batch_id INTEGER REFERENCES batch(id),
      kind TEXT NOT NULL CHECK (kind IN
        ('received','consumed','produced','dispensed','adjusted','wasted','expired','returned')),
      quantity INTEGER NOT NULL CHECK (quantity <> 0),
      moved_at TEXT NOT NULL,
      moved_by TEXT NOT NULL,
      for_batch_id INTEGER REFERENCES batch(id),
      reason TEXT,
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    CREATE INDEX movement_by_lot ON movement(lot_id);
    CREATE INDEX movement_by_batch ON movement(batch_id);
    CREATE TRIGGER movements_are_append_only_update BEFORE UPDATE ON movement
    BEGIN SELECT RAISE(ABORT, 'stock movements are append-only: record a correcting movement'); END;
    CREATE TRIGGER movements_are_append_only_delete BEFORE DELETE ON movement
    BEGIN SELECT RAISE(ABORT, 'stock movements are append-only: record a correcting movement'); END;
    -- A lot's on_hand is the sum of its movements, kept by this trigger in the same transaction;
    -- the CHECK on lot.on_hand refuses any movement that would take stock below zero.
    CREATE TRIGGER movement_keeps_lot_on_hand AFTER INSERT ON movement
    WHEN NEW.lot_id IS NOT NULL
    BEGIN UPDATE lot SET on_hand = on_hand + NEW.quantity WHERE id = NEW.lot_id; END;
    """

  static let v2 = """
    CREATE TABLE assay (
      id INTEGER PRIMARY KEY,
      batch_id INTEGER NOT NULL REFERENCES batch(id),
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
    CREATE TRIGGER assay_results_never_change BEFORE UPDATE ON assay
    BEGIN SELECT RAISE(ABORT, 'an assay result never changes: record a new result'); END;
    CREATE TRIGGER assay_results_are_kept BEFORE DELETE ON assay
    BEGIN SELECT RAISE(ABORT, 'assay results are kept: they are legal records'); END;
    CREATE TRIGGER status_changes_are_kept BEFORE DELETE ON status_change
    BEGIN SELECT RAISE(ABORT, 'status history is kept: it is a legal record'); END;
    CREATE TRIGGER status_changes_never_change BEFORE UPDATE ON status_change
    BEGIN SELECT RAISE(ABORT, 'status history never changes'); END;
    """

  static let v3 = """
    ALTER TABLE batch ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0);
    UPDATE batch SET on_hand = (SELECT COALESCE(SUM(quantity), 0) FROM movement WHERE batch_id = batch.id);
    -- A batch's on_hand (capsules) is the sum of its movements, kept like a lot's.
    CREATE TRIGGER movement_keeps_batch_on_hand AFTER INSERT ON movement
    WHEN NEW.batch_id IS NOT NULL
    BEGIN UPDATE batch SET on_hand = on_hand + NEW.quantity WHERE id = NEW.batch_id; END;
    CREATE TABLE patient (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      date_of_birth TEXT NOT NULL,
      address TEXT NOT NULL,
      phone TEXT NOT NULL,
      allergies TEXT NOT NULL,
      medications TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TABLE prescriber (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      npi TEXT NOT NULL UNIQUE CHECK (length(npi) = 10),
      phone TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE prescription (
      id INTEGER PRIMARY KEY,
      rx_number TEXT NOT NULL UNIQUE,
      patient_id INTEGER NOT NULL REFERENCES patient(id),
      prescriber_id INTEGER NOT NULL REFERENCES prescriber(id),
      refills INTEGER NOT NULL CHECK (refills BETWEEN 0 AND 11),
      written_on TEXT NOT NULL,
      steps TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TRIGGER prescriptions_never_change BEFORE UPDATE ON prescription
    BEGIN SELECT RAISE(ABORT, 'a prescription never changes: enter a new one'); END;
    CREATE TABLE fill (
      id INTEGER PRIMARY KEY,
      prescription_id INTEGER NOT NULL REFERENCES prescription(id),
      fill_number INTEGER NOT NULL CHECK (fill_number >= 1),
      step INTEGER NOT NULL CHECK (step >= 0),
      batch_id INTEGER NOT NULL REFERENCES batch(id),
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      filled_on TEXT NOT NULL,
      filled_at TEXT NOT NULL,
      filled_by TEXT NOT NULL,
      decision TEXT NOT NULL,
      UNIQUE (prescription_id, fill_number)
    );
    CREATE INDEX fill_by_batch ON fill(batch_id);
    CREATE TRIGGER fills_never_change BEFORE UPDATE ON fill
    BEGIN SELECT RAISE(ABORT, 'a fill never changes: record a return or a new fill'); END;
    CREATE TRIGGER fills_are_kept BEFORE DELETE ON fill
    BEGIN SELECT RAISE(ABORT, 'fills are kept: they are legal records'); END;
    """

  static let v4 = """
    CREATE TABLE label_print (
      id INTEGER PRIMARY KEY,
      fill_id INTEGER REFERENCES fill(id),
      batch_id INTEGER NOT NULL REFERENCES batch(id),
      layout TEXT NOT NULL,
      layout_version INTEGER NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('pdf','png','zpl')),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      destination TEXT NOT NULL,
      copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 99),
      reprint INTEGER NOT NULL CHECK (reprint IN (0, 1)),
      reason TEXT,
      printed_at TEXT NOT NULL,
      printed_by TEXT NOT NULL,
      CHECK (reprint = 0 OR length(reason) > 0)
    );
    CREATE INDEX label_print_by_fill ON label_print(fill_id);
    CREATE INDEX label_print_by_batch ON label_print(batch_id);
    CREATE TRIGGER label_prints_never_change BEFORE UPDATE ON label_print
    BEGIN SELECT RAISE(ABORT, 'the label print log is append-only'); END;
    CREATE TRIGGER label_prints_are_kept BEFORE DELETE ON label_print
    BEGIN SELECT RAISE(ABORT, 'the label print log is kept'); END;
    """

  static let v7 = """
    CREATE TABLE app_user (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) BETWEEN 1 AND 40),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      role TEXT NOT NULL CHECK (role IN ('technician','pharmacist')),
      pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$%'),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      disabled_at TEXT,
      disabled_by TEXT,
      disabled_reason TEXT
    );
    CREATE TRIGGER users_are_kept BEFORE DELETE ON app_user
    BEGIN SELECT RAISE(ABORT, 'users are kept for the records they signed: disable them instead'); END;
    CREATE TRIGGER users_keep_their_identity BEFORE UPDATE ON app_user
    WHEN NEW.login IS NOT OLD.login OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role
      OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
      OR (OLD.active = 0 AND NEW.active = 1)
    BEGIN SELECT RAISE(ABORT, 'a user keeps their id, name and role, and a disabled user stays disabled: add a new user'); END;
    """

  /// Medications and allergies become entries that are stopped, never erased; the clinical rules a pharmacist
  /// imported; prescriptions discontinued, fills voided and fills checked; each batch and fill names the rules
  /// version it was checked against.
  static let v9 = """
    CREATE TABLE patient_entry (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER NOT NULL REFERENCES patient(id),
      kind TEXT NOT NULL CHECK (kind IN ('medication','allergy')),
      text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
      started_on TEXT CHECK (started_on IS NULL OR started_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      added_at TEXT NOT NULL,
      added_by TEXT NOT NULL,
      ended_on TEXT CHECK (ended_on IS NULL OR ended_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
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
    INSERT INTO patient_entry (patient_id, kind, text, added_at, added_by)
      SELECT p.id, 'medication', substr(trim(j.value), 1, 200), p.created_at, p.created_by
      FROM patient p, json_each(p.medications) j WHERE length(trim(j.value)) > 0 ORDER BY p.id, j.key;
    INSERT INTO patient_entry (patient_id, kind, text, added_at, added_by)
      SELECT p.id, 'allergy', substr(trim(j.value), 1, 200), p.created_at, p.created_by
      FROM patient p, json_each(p.allergies) j WHERE length(trim(j.value)) > 0 ORDER BY p.id, j.key;
    ALTER TABLE patient DROP COLUMN medications;
    ALTER TABLE patient DROP COLUMN allergies;
    CREATE TRIGGER patient_entries_keep_what_was_typed BEFORE UPDATE ON patient_entry
    WHEN NEW.patient_id IS NOT OLD.patient_id OR NEW.kind IS NOT OLD.kind OR NEW.text IS NOT OLD.text
      OR NEW.started_on IS NOT OLD.started_on OR NEW.added_at IS NOT OLD.added_at OR NEW.added_by IS NOT OLD.added_by
      OR (OLD.ended_on IS NOT NULL AND (NEW.ended_on IS NOT OLD.ended_on OR NEW.ended_at IS NOT OLD.ended_at
        OR NEW.ended_by IS NOT OLD.ended_by OR NEW.end_reason IS NOT OLD.end_reason))
      OR (OLD.reviewed_at IS NOT NULL AND (NEW.reviewed_as IS NOT OLD.reviewed_as OR NEW.reviewed_at IS NOT OLD.reviewed_at
        OR NEW.reviewed_by IS NOT OLD.reviewed_by OR NEW.review_reason IS NOT OLD.review_reason))
    BEGIN SELECT RAISE(ABORT, 'a medication or allergy entry keeps what was typed: stop it and add a new one'); END;
    CREATE TRIGGER patient_entries_are_kept BEFORE DELETE ON patient_entry
    BEGIN SELECT RAISE(ABORT, 'medication and allergy entries are kept: stop or remove them with a date instead'); END;

    CREATE TABLE clinical_rules (
      id INTEGER PRIMARY KEY,
      version INTEGER NOT NULL UNIQUE CHECK (version >= 1),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      rules TEXT NOT NULL,
      source TEXT NOT NULL,
      reason TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL
    );
    CREATE TRIGGER clinical_rules_never_change BEFORE UPDATE ON clinical_rules
    BEGIN SELECT RAISE(ABORT, 'a rules version never changes: import a new version'); END;
    CREATE TRIGGER clinical_rules_are_kept BEFORE DELETE ON clinical_rules
    BEGIN SELECT RAISE(ABORT, 'rules versions are kept: the records checked against them name them'); END;

    CREATE TABLE prescription_end (
      id INTEGER PRIMARY KEY,
      prescription_id INTEGER NOT NULL UNIQUE REFERENCES prescription(id),
      ended_on TEXT NOT NULL,
      ended_at TEXT NOT NULL,
      ended_by TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) > 0)
    );
    CREATE TABLE fill_void (
      id INTEGER PRIMARY KEY,
      fill_id INTEGER NOT NULL UNIQUE REFERENCES fill(id),
      voided_at TEXT NOT NULL,
      voided_by TEXT NOT NULL,
      reason TEXT NOT NULL CHECK (length(reason) > 0)
    );
    CREATE TABLE fill_check (
      id INTEGER PRIMARY KEY,
      fill_id INTEGER NOT NULL UNIQUE REFERENCES fill(id),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL
    );
    CREATE TRIGGER prescription_ends_are_final BEFORE UPDATE ON prescription_end
    BEGIN SELECT RAISE(ABORT, 'a discontinued prescription stays discontinued: the prescriber writes a new one'); END;
    CREATE TRIGGER prescription_ends_are_kept BEFORE DELETE ON prescription_end
    BEGIN SELECT RAISE(ABORT, 'a discontinuation is a legal record'); END;
    CREATE TRIGGER fill_voids_are_final BEFORE UPDATE ON fill_void
    BEGIN SELECT RAISE(ABORT, 'a voided fill stays voided: fill again instead'); END;
    CREATE TRIGGER fill_voids_are_kept BEFORE DELETE ON fill_void
    BEGIN SELECT RAISE(ABORT, 'a void is a legal record'); END;
    CREATE TRIGGER fill_checks_are_final BEFORE UPDATE ON fill_check
    BEGIN SELECT RAISE(ABORT, 'a final check never changes'); END;
    CREATE TRIGGER fill_checks_are_kept BEFORE DELETE ON fill_check
    BEGIN SELECT RAISE(ABORT, 'a final check is a legal record'); END;
    CREATE TRIGGER fill_checked_by_another BEFORE INSERT ON fill_check
    WHEN lower(NEW.checked_by) = lower((SELECT filled_by FROM fill WHERE id = NEW.fill_id))
    BEGIN SELECT RAISE(ABORT, 'whoever filled a prescription does not check it: another pharmacist checks it'); END;

    ALTER TABLE batch ADD COLUMN rules_version INTEGER;
    ALTER TABLE fill ADD COLUMN rules_version INTEGER;
    CREATE TRIGGER batch_rules_version_is_final BEFORE UPDATE OF rules_version ON batch
    WHEN OLD.rules_version IS NOT NEW.rules_version
    BEGIN SELECT RAISE(ABORT, 'a compounding record never changes: record a correction instead'); END;
    """

  /// The database's own backstop for the compounder never verifying their batch, in any letter case.
  ///
  /// v1's CHECK compares logins case-sensitively where the signing rule does not; the final check has had its
  /// case-insensitive backstop since v9 (`fill_checked_by_another`).
  static let v11 = """
    CREATE TRIGGER batch_verifier_is_another BEFORE UPDATE OF verified_by ON batch
    WHEN NEW.verified_by IS NOT NULL AND lower(NEW.verified_by) = lower(NEW.compounded_by)
    BEGIN SELECT RAISE(ABORT, 'the compounder of a batch never verifies it'); END;
    """

  /// The installation's identity and training flag; what locks a signer; restores and label deliveries.
  static let v10 = """
    CREATE TABLE installation (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      pharmacy_id TEXT NOT NULL CHECK (length(pharmacy_id) = 36),
      created_at TEXT NOT NULL,
      training INTEGER NOT NULL CHECK (training IN (0, 1))
    );
    CREATE TRIGGER installation_never_changes BEFORE UPDATE ON installation
    BEGIN SELECT RAISE(ABORT, 'the installation never changes'); END;
    CREATE TRIGGER installation_is_kept BEFORE DELETE ON installation
    BEGIN SELECT RAISE(ABORT, 'the installation is kept'); END;

    ALTER TABLE app_user ADD COLUMN pin_set_at TEXT;
    ALTER TABLE app_user ADD COLUMN must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1));
    ALTER TABLE app_user ADD COLUMN pin_known_to TEXT;
    UPDATE app_user SET pin_set_at = created_at;
    CREATE TABLE signature_failure (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      locked INTEGER NOT NULL CHECK (locked IN (0, 1))
    );
    CREATE INDEX signature_failure_by_login ON signature_failure(login, at);
    CREATE TRIGGER signature_failures_never_change BEFORE UPDATE ON signature_failure
    BEGIN SELECT RAISE(ABORT, 'a failed signature is a record'); END;
    CREATE TRIGGER signature_failures_are_kept BEFORE DELETE ON signature_failure
    BEGIN SELECT RAISE(ABORT, 'a failed signature is a record'); END;
    CREATE INDEX audit_by_actor ON audit(actor, at);

    CREATE TABLE restore_log (
      id INTEGER PRIMARY KEY,
      restored_at TEXT NOT NULL,
      restored_by TEXT NOT NULL,
      backup_path TEXT NOT NULL,
      backup_sha256 TEXT NOT NULL CHECK (length(backup_sha256) = 64),
      backup_head TEXT NOT NULL,
      replaced_head TEXT,
      replaced_kept_at TEXT,
      foreign_reason TEXT
    );
    CREATE TRIGGER restores_never_change BEFORE UPDATE ON restore_log
    BEGIN SELECT RAISE(ABORT, 'a restore is a record'); END;
    CREATE TRIGGER restores_are_kept BEFORE DELETE ON restore_log
    BEGIN SELECT RAISE(ABORT, 'a restore is a record'); END;

    CREATE TABLE label_print_v10 (
      id INTEGER PRIMARY KEY,
      fill_id INTEGER REFERENCES fill(id),
      batch_id INTEGER NOT NULL REFERENCES batch(id),
      layout TEXT NOT NULL,
      layout_version INTEGER NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('pdf','png','zpl','text')),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      destination TEXT NOT NULL,
      copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 99),
      reprint INTEGER NOT NULL CHECK (reprint IN (0, 1)),
      reason TEXT,
      printed_at TEXT NOT NULL,
      printed_by TEXT NOT NULL,
      CHECK (reprint = 0 OR length(reason) > 0)
    );
    INSERT INTO label_print_v10 SELECT * FROM label_print;
    DROP TABLE label_print;
    ALTER TABLE label_print_v10 RENAME TO label_print;
    CREATE INDEX label_print_by_fill ON label_print(fill_id);
    CREATE INDEX label_print_by_batch ON label_print(batch_id);
    CREATE TRIGGER label_prints_never_change BEFORE UPDATE ON label_print
    BEGIN SELECT RAISE(ABORT, 'the label print log is append-only'); END;
    CREATE TRIGGER label_prints_are_kept BEFORE DELETE ON label_print
    BEGIN SELECT RAISE(ABORT, 'the label print log is kept'); END;
    CREATE TABLE label_delivery_failure (
      id INTEGER PRIMARY KEY,
      label_print_id INTEGER NOT NULL UNIQUE REFERENCES label_print(id),
      failed_at TEXT NOT NULL,
      error TEXT NOT NULL
    );
    CREATE TRIGGER label_delivery_failures_never_change BEFORE UPDATE ON label_delivery_failure
    BEGIN SELECT RAISE(ABORT, 'a failed delivery is a record'); END;
    CREATE TRIGGER label_delivery_failures_are_kept BEFORE DELETE ON label_delivery_failure
    BEGIN SELECT RAISE(ABORT, 'a failed delivery is a record'); END;
    """

  static let v8 = """
    CREATE TRIGGER ingredients_are_kept BEFORE DELETE ON ingredient
    BEGIN SELECT RAISE(ABORT, 'catalog entries are kept: the records that used them name them'); END;
    CREATE TRIGGER lots_are_kept BEFORE DELETE ON lot
    BEGIN SELECT RAISE(ABORT, 'lots are kept: they are legal records; reject or recall instead'); END;
    CREATE TRIGGER batch_components_never_change BEFORE UPDATE ON batch_component
    BEGIN SELECT RAISE(ABORT, 'a compounding record never changes: record a correction instead'); END;
    CREATE TRIGGER batch_components_are_kept BEFORE DELETE ON batch_component
    BEGIN SELECT RAISE(ABORT, 'compounding records are kept: they are legal records'); END;
    CREATE TRIGGER weight_checks_never_change BEFORE UPDATE ON weight_check
    BEGIN SELECT RAISE(ABORT, 'a weight check never changes: record a new one'); END;
    CREATE TRIGGER weight_checks_are_kept BEFORE DELETE ON weight_check
    BEGIN SELECT RAISE(ABORT, 'weight checks are kept: they are legal records'); END;
    CREATE TRIGGER patients_are_kept BEFORE DELETE ON patient
    BEGIN SELECT RAISE(ABORT, 'patients are kept with the fills made for them'); END;
    CREATE TRIGGER prescribers_are_kept BEFORE DELETE ON prescriber
    BEGIN SELECT RAISE(ABORT, 'prescribers are kept with the prescriptions they wrote'); END;
    CREATE TRIGGER prescriptions_are_kept BEFORE DELETE ON prescription
    BEGIN SELECT RAISE(ABORT, 'prescriptions are kept: they are legal records'); END;
    """

  /// Balance checks, certificates kept by SHA-256, several containers of one supplier lot (the lot table loses
  /// its unique supplier lot and gains the GTIN, serial, certificate and trituration columns), and triturations.
  static let v12 = """
    CREATE TABLE balance_check (
      id INTEGER PRIMARY KEY,
      balance_id TEXT NOT NULL COLLATE NOCASE,
      balance_serial TEXT,
      checked_on TEXT NOT NULL CHECK (checked_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      checked_at TEXT NOT NULL,
      checked_by TEXT NOT NULL,
      test_weight_ug INTEGER NOT NULL CHECK (test_weight_ug > 0),
      reading_ug INTEGER NOT NULL,
      tolerance_percent TEXT NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1))
    );
    CREATE INDEX balance_check_by_day ON balance_check(balance_id, checked_on);
    CREATE TRIGGER balance_checks_never_change BEFORE UPDATE ON balance_check
    BEGIN SELECT RAISE(ABORT, 'a balance check is a record: record a new one'); END;
    CREATE TRIGGER balance_checks_are_kept BEFORE DELETE ON balance_check
    BEGIN SELECT RAISE(ABORT, 'a balance check is a record'); END;
    CREATE TABLE certificate (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      file_name TEXT NOT NULL,
      bytes BLOB NOT NULL,
      stored_at TEXT NOT NULL,
      stored_by TEXT NOT NULL
    );
    CREATE TRIGGER certificates_never_change BEFORE UPDATE ON certificate
    BEGIN SELECT RAISE(ABORT, 'a certificate of analysis is kept as received'); END;
    CREATE TRIGGER certificates_are_kept BEFORE DELETE ON certificate
    BEGIN SELECT RAISE(ABORT, 'a certificate of analysis is kept as received'); END;
    CREATE TABLE lot_v12 (
      id INTEGER PRIMARY KEY,
      lot_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
      ingredient_id INTEGER NOT NULL REFERENCES ingredient(id),
      supplier TEXT NOT NULL CHECK (length(supplier) > 0),
      supplier_lot TEXT NOT NULL CHECK (length(supplier_lot) > 0),
      expiry TEXT NOT NULL CHECK (expiry GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      received_quantity INTEGER NOT NULL CHECK (received_quantity > 0),
      assay_percent TEXT,
      assay_basis TEXT CHECK (assay_basis IN ('as-is','anhydrous')),
      water_percent TEXT,
      cost_cents INTEGER CHECK (cost_cents >= 0),
      status TEXT NOT NULL CHECK (status IN (\(statuses))),
      on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
      received_at TEXT NOT NULL,
      received_by TEXT NOT NULL,
      gtin TEXT CHECK (gtin IS NULL OR length(gtin) = 14),
      serial TEXT,
      certificate_sha256 TEXT REFERENCES certificate(sha256),
      trituration_parts INTEGER CHECK (trituration_parts IS NULL OR trituration_parts >= 2),
      api_fraction TEXT,
      trituration_diluent TEXT
    );
    INSERT INTO lot_v12 (id, lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity,
      assay_percent, assay_basis, water_percent, cost_cents, status, on_hand, received_at, received_by)
    SELECT id, lot_number, ingredient_id, supplier, supplier_lot, expiry, received_quantity, assay_percent,
      assay_basis, water_percent, cost_cents, status, on_hand, received_at, received_by FROM lot;
    DROP TRIGGER movement_keeps_lot_on_hand;
    DROP TABLE lot;
    ALTER TABLE lot_v12 RENAME TO lot;
    CREATE TRIGGER movement_keeps_lot_on_hand AFTER INSERT ON movement
    WHEN NEW.lot_id IS NOT NULL
    BEGIN UPDATE lot SET on_hand = on_hand + NEW.quantity WHERE id = NEW.lot_id; END;
    CREATE INDEX lot_by_ingredient ON lot(ingredient_id, expiry);
    CREATE INDEX lot_by_supplier_lot ON lot(ingredient_id, supplier, supplier_lot);
    CREATE TRIGGER lots_are_kept BEFORE DELETE ON lot
    BEGIN SELECT RAISE(ABORT, 'lots are kept: they are legal records; reject or recall instead'); END;
    CREATE TRIGGER lot_receipt_is_final BEFORE UPDATE ON lot
    WHEN NEW.lot_number IS NOT OLD.lot_number OR NEW.ingredient_id IS NOT OLD.ingredient_id
      OR NEW.supplier IS NOT OLD.supplier OR NEW.supplier_lot IS NOT OLD.supplier_lot OR NEW.expiry IS NOT OLD.expiry
      OR NEW.received_quantity IS NOT OLD.received_quantity OR NEW.assay_percent IS NOT OLD.assay_percent
      OR NEW.assay_basis IS NOT OLD.assay_basis OR NEW.water_percent IS NOT OLD.water_percent
      OR NEW.gtin IS NOT OLD.gtin
      OR (OLD.certificate_sha256 IS NOT NULL AND NEW.certificate_sha256 IS NOT OLD.certificate_sha256)
      OR NEW.trituration_parts IS NOT OLD.trituration_parts OR NEW.api_fraction IS NOT OLD.api_fraction
      OR NEW.trituration_diluent IS NOT OLD.trituration_diluent
    BEGIN SELECT RAISE(ABORT, 'a receipt never changes: receive again or reject the lot'); END;
    CREATE TABLE trituration_formula (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL COLLATE NOCASE,
      version INTEGER NOT NULL CHECK (version >= 1),
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      source TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      approved_by TEXT,
      UNIQUE (code, version)
    );
    CREATE TRIGGER trituration_formulas_never_change BEFORE UPDATE ON trituration_formula
    BEGIN SELECT RAISE(ABORT, 'a formula version never changes: add a new version'); END;
    CREATE TRIGGER trituration_formulas_are_kept BEFORE DELETE ON trituration_formula
    BEGIN SELECT RAISE(ABORT, 'formula versions are kept: they are legal records'); END;
    CREATE TABLE trituration (
      id INTEGER PRIMARY KEY,
      lot_id INTEGER NOT NULL UNIQUE REFERENCES lot(id),
      formula_id INTEGER NOT NULL REFERENCES trituration_formula(id),
      api_lot_id INTEGER NOT NULL REFERENCES lot(id),
      diluent_lot_id INTEGER NOT NULL REFERENCES lot(id),
      api_weighed_ug INTEGER NOT NULL CHECK (api_weighed_ug > 0),
      diluent_weighed_ug INTEGER NOT NULL CHECK (diluent_weighed_ug > 0),
      compounded_by TEXT NOT NULL,
      compounded_by_name TEXT NOT NULL,
      compounded_at TEXT NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX trituration_by_api_lot ON trituration(api_lot_id);
    CREATE INDEX trituration_by_diluent_lot ON trituration(diluent_lot_id);
    CREATE TRIGGER triturations_never_change BEFORE UPDATE ON trituration
    BEGIN SELECT RAISE(ABORT, 'a compounding record never changes: record a correction instead'); END;
    CREATE TRIGGER triturations_are_kept BEFORE DELETE ON trituration
    BEGIN SELECT RAISE(ABORT, 'compounding records are kept: they are legal records'); END;
    CREATE TABLE trituration_assay (
      id INTEGER PRIMARY KEY,
      trituration_id INTEGER NOT NULL REFERENCES trituration(id),
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
    CREATE TRIGGER trituration_assays_never_change BEFORE UPDATE ON trituration_assay
    BEGIN SELECT RAISE(ABORT, 'an assay result never changes: record a new result'); END;
    CREATE TRIGGER trituration_assays_are_kept BEFORE DELETE ON trituration_assay
    BEGIN SELECT RAISE(ABORT, 'assay results are kept: they are legal records'); END;
    """

  /// The stores of a chain that share one database, and which store each lot, batch and prescription belongs to.
  ///
  /// A store is added by a pharmacist (`compound store add`) and never changes. A lot, batch or prescription
  /// written at a store gets a `store_record` row in the same transaction; one written before the pharmacy had
  /// stores has none and belongs to its first store. A fill and a label belong to their batch's store.
  static let v15 = """
    CREATE TABLE store (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 8),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      added_at TEXT NOT NULL,
      added_by TEXT NOT NULL
    );
    CREATE TRIGGER stores_never_change BEFORE UPDATE ON store
    BEGIN SELECT RAISE(ABORT, 'a store keeps its code and name: the records it holds name it'); END;
    CREATE TRIGGER stores_are_kept BEFORE DELETE ON store
    BEGIN SELECT RAISE(ABORT, 'stores are kept: the records they hold name them'); END;
    CREATE TABLE store_record (
      id INTEGER PRIMARY KEY,
      store_id INTEGER NOT NULL REFERENCES store(id),
      lot_id INTEGER UNIQUE REFERENCES lot(id),
      batch_id INTEGER UNIQUE REFERENCES batch(id),
      prescription_id INTEGER UNIQUE REFERENCES prescription(id),
      CHECK ((lot_id IS NOT NULL) + (batch_id IS NOT NULL) + (prescription_id IS NOT NULL) = 1)
    );
    CREATE INDEX store_record_by_store ON store_record(store_id);
    CREATE TRIGGER store_records_never_change BEFORE UPDATE ON store_record
    BEGIN SELECT RAISE(ABORT, 'a record stays at the store that wrote it'); END;
    CREATE TRIGGER store_records_are_kept BEFORE DELETE ON store_record
    BEGIN SELECT RAISE(ABORT, 'a record stays at the store that wrote it'); END;
    """

  /// The work `compound today` lists, read without walking ten years of fills and batches.
  ///
  /// `fill_pending` holds the fills with neither a final check nor a void (kept by triggers, derived: outside
  /// the trail, compared with the fills by `doctor --full`); indexes find the quarantined batches and the day's
  /// balance checks.
  static let v14 = """
    CREATE TABLE fill_pending (fill_id INTEGER PRIMARY KEY REFERENCES fill(id));
    INSERT INTO fill_pending (fill_id) SELECT id FROM fill
    WHERE NOT EXISTS (SELECT 1 FROM fill_check WHERE fill_check.fill_id = fill.id)
      AND NOT EXISTS (SELECT 1 FROM fill_void WHERE fill_void.fill_id = fill.id);
    CREATE TRIGGER fill_waits_for_its_check AFTER INSERT ON fill
    BEGIN INSERT INTO fill_pending (fill_id) VALUES (NEW.id); END;
    CREATE TRIGGER fill_check_ends_the_wait AFTER INSERT ON fill_check
    BEGIN DELETE FROM fill_pending WHERE fill_id = NEW.fill_id; END;
    CREATE TRIGGER fill_void_ends_the_wait AFTER INSERT ON fill_void
    BEGIN DELETE FROM fill_pending WHERE fill_id = NEW.fill_id; END;
    CREATE INDEX batch_quarantined ON batch(id) WHERE status = 'quarantined';
    CREATE INDEX balance_check_on_day ON balance_check(checked_on);
    """

  /// Stock on hand leaves the lot and batch rows (which carry history) for a `stock` table kept by the movement
  /// triggers; the trail's entries gain the SHA-256 of the whole row; verification checkpoints.
  static let v13 = """
    CREATE TABLE stock (
      id INTEGER PRIMARY KEY,
      lot_id INTEGER UNIQUE REFERENCES lot(id),
      batch_id INTEGER UNIQUE REFERENCES batch(id),
      on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
      CHECK ((lot_id IS NULL) <> (batch_id IS NULL))
    );
    INSERT INTO stock (lot_id, on_hand) SELECT id, on_hand FROM lot ORDER BY id;
    INSERT INTO stock (batch_id, on_hand) SELECT id, on_hand FROM batch ORDER BY id;
    CREATE INDEX stock_held_by_batch ON stock(batch_id) WHERE batch_id IS NOT NULL AND on_hand > 0;
    CREATE INDEX stock_held_by_lot ON stock(lot_id) WHERE lot_id IS NOT NULL AND on_hand > 0;
    DROP TRIGGER movement_keeps_lot_on_hand;
    DROP TRIGGER movement_keeps_batch_on_hand;
    ALTER TABLE lot DROP COLUMN on_hand;
    ALTER TABLE batch DROP COLUMN on_hand;
    -- Every lot and batch has one stock row from the start; a movement adds to it in the same transaction, and
    -- the CHECK on on_hand refuses any movement that would take stock below zero.
    CREATE TRIGGER lot_has_stock AFTER INSERT ON lot BEGIN INSERT INTO stock (lot_id) VALUES (NEW.id); END;
    CREATE TRIGGER batch_has_stock AFTER INSERT ON batch BEGIN INSERT INTO stock (batch_id) VALUES (NEW.id); END;
    CREATE TRIGGER movement_keeps_lot_stock AFTER INSERT ON movement
    WHEN NEW.lot_id IS NOT NULL
    BEGIN UPDATE stock SET on_hand = on_hand + NEW.quantity WHERE lot_id = NEW.lot_id; END;
    CREATE TRIGGER movement_keeps_batch_stock AFTER INSERT ON movement
    WHEN NEW.batch_id IS NOT NULL
    BEGIN UPDATE stock SET on_hand = on_hand + NEW.quantity WHERE batch_id = NEW.batch_id; END;
    CREATE TRIGGER stock_is_kept BEFORE DELETE ON stock
    BEGIN SELECT RAISE(ABORT, 'stock rows are kept: move stock with a movement'); END;
    CREATE TRIGGER stock_follows_movements BEFORE UPDATE OF id, lot_id, batch_id ON stock
    BEGIN SELECT RAISE(ABORT, 'a stock row belongs to its lot or batch for good'); END;
    ALTER TABLE audit ADD COLUMN row_sha256 TEXT;
    CREATE TABLE audit_checkpoint (
      id INTEGER PRIMARY KEY,
      entry INTEGER NOT NULL,
      hash TEXT NOT NULL,
      tally TEXT NOT NULL,
      verified_at TEXT NOT NULL,
      full INTEGER NOT NULL CHECK (full IN (0, 1))
    );
    CREATE TRIGGER audit_checkpoints_never_change BEFORE UPDATE ON audit_checkpoint
    BEGIN SELECT RAISE(ABORT, 'a verification checkpoint never changes'); END;
    CREATE TRIGGER audit_checkpoints_are_kept BEFORE DELETE ON audit_checkpoint
    BEGIN SELECT RAISE(ABORT, 'verification checkpoints are kept'); END;
    CREATE INDEX fill_by_time ON fill(filled_at);
    CREATE INDEX batch_by_time ON batch(compounded_at);
    CREATE INDEX prescription_by_patient ON prescription(patient_id);
    """
}
