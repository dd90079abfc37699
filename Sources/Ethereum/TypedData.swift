import JSON

/// EIP-712 typed structured data as `eth_signTypedData_v4` receives it:
/// `{"types", "primaryType", "domain", "message"}`. Its `signingHash` is
/// keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)), what
/// MetaMask, ethers and eth-account sign.
///
/// ```swift
/// let data = try TypedData(jsonText: param)
/// let digest = try data.signingHash()
/// let signature = try data.sign(with: key)      // r ‖ s ‖ v, v = 27 or 28
/// ```
///
/// Types are checked when the value is made (every field type must be a
/// Solidity atomic type, an array, or a declared struct); values are checked
/// while hashing, strictly: integers as JSON integers, decimal strings or
/// 0x hex strings; bytes and addresses as 0x hex; booleans as JSON booleans.
public struct TypedData: Sendable {
    /// One member of a struct type, as declared.
    public struct Field: Sendable, Equatable {
        public let name: String
        /// The Solidity spelling, used verbatim in `encodeType`.
        public let type: String
        let parsed: TypedDataFieldType
    }

    /// The struct types by name, `EIP712Domain` included (inferred from the
    /// domain's members when the document does not declare it).
    public let types: [String: [Field]]
    /// The struct type of `message`; `EIP712Domain` signs the domain alone.
    public let primaryType: String
    public let domain: JSONValue
    public let message: JSONValue

    /// The domain members EIP-712 defines, in the order used when the
    /// document does not declare `EIP712Domain` (as ethers and eth-account do).
    static let domainFields = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                               ("verifyingContract", "address"), ("salt", "bytes32")]

    /// From the JSON text `eth_signTypedData_v4` usually carries as its second parameter.
    public init(jsonText: String) throws(TypedDataError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(jsonText)
        } catch {
            throw .invalidJSON("\(error)")
        }
        try self.init(json: value)
    }

    /// From the parsed document.
    public init(json: JSONValue) throws(TypedDataError) {
        guard case .object = json else { throw .notAnObject(path: "typed data", got: json.kindName) }
        guard let typesValue = json["types"] else { throw .missingMember("types") }
        guard let typeMembers = typesValue.objectValue else { throw .notAnObject(path: "types", got: typesValue.kindName) }
        guard let domain = json["domain"] else { throw .missingMember("domain") }
        guard case .object(let domainMembers) = domain else { throw .notAnObject(path: "domain", got: domain.kindName) }
        guard let message = json["message"] else { throw .missingMember("message") }

        var declared: [String: JSONValue] = [:]
        for member in typeMembers {
            guard !member.key.isEmpty else { throw .invalidTypeDefinition(path: "types", reason: "a type name is empty") }
            declared[member.key] = member.value
        }
        if declared["EIP712Domain"] == nil {
            var inferred: [JSONValue] = []
            for member in domainMembers where !Self.domainFields.contains(where: { $0.0 == member.key }) {
                throw .unknownDomainField(member.key)
            }
            for (name, type) in Self.domainFields where domain[name] != nil {
                inferred.append(["name": .string(name), "type": .string(type)])
            }
            declared["EIP712Domain"] = .array(inferred)
        }
        let names = Set(declared.keys)
        var types: [String: [Field]] = [:]
        for (typeName, definition) in declared {
            types[typeName] = try Self.fields(of: typeName, definition, structs: names)
        }
        self.types = types
        self.domain = domain
        self.message = message

        switch json["primaryType"] {
        case .string(let name)?:
            guard types[name] != nil else { throw .unknownPrimaryType(name) }
            primaryType = name
        case nil, .null?:
            primaryType = try Self.inferPrimaryType(types)
        case let other?:
            throw .unknownPrimaryType("(a \(other.kindName))")
        }
    }

    private static func fields(of typeName: String, _ definition: JSONValue, structs: Set<String>) throws(TypedDataError) -> [Field] {
        let path = "types.\(typeName)"
        guard let list = definition.arrayValue else {
            throw .invalidTypeDefinition(path: path, reason: "expected an array of {name, type}, got \(definition.kindName)")
        }
        var fields: [Field] = []
        var seen = Set<String>()
        for (i, entry) in list.enumerated() {
            guard let name = entry["name"]?.stringValue, !name.isEmpty,
                  let type = entry["type"]?.stringValue, !type.isEmpty else {
                throw .invalidTypeDefinition(path: "\(path)[\(i)]", reason: "expected {\"name\": string, \"type\": string}")
            }
            guard seen.insert(name).inserted else {
                throw .invalidTypeDefinition(path: "\(path)[\(i)]", reason: "field '\(name)' is declared twice")
            }
            guard let parsed = TypedDataFieldType(type, structs: structs) else {
                throw .undefinedType(type, path: "\(path).\(name)")
            }
            fields.append(Field(name: name, type: type, parsed: parsed))
        }
        return fields
    }

    /// The one struct (other than EIP712Domain) no other struct refers to.
    private static func inferPrimaryType(_ types: [String: [Field]]) throws(TypedDataError) -> String {
        var referenced = Set<String>()
        for (name, fields) in types {
            for field in fields { if let s = field.parsed.structName, s != name { referenced.insert(s) } }
        }
        let roots = types.keys.filter { $0 != "EIP712Domain" && !referenced.contains($0) }.sorted()
        guard roots.count == 1 else { throw .ambiguousPrimaryType(roots) }
        return roots[0]
    }
}
