// adapter-pg cannot deserialize PostgreSQL's `name` (oid 19) and `"char"` (oid 18) columns, which the
// schema engine reads from the catalogs (prisma/orm#27403). Present them as text. CLI only.
const Result = require('pg/lib/result.js');

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

if (!Result.prototype.__orbitOidsAsText) {
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function addFieldsAsText(fieldDescriptions) {
    for (const field of fieldDescriptions) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return addFields.call(this, fieldDescriptions);
  };
  Result.prototype.__orbitOidsAsText = true;
}
