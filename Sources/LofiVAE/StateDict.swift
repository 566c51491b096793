/// What went wrong reading or checking a checkpoint. Each case names the file part at fault.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case truncated(String)
    case malformed(String)
    case missingTensor(String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unsupportedDType(name: String, dtype: String)
    case forbiddenGlobal(String)
    case unsupportedOpcode(opcode: UInt8, offset: Int)

    public var description: String {
        switch self {
        case .unreadable(let s): "cannot read: \(s)"
        case .truncated(let s): "truncated: \(s)"
        case .malformed(let s): "malformed: \(s)"
        case .missingTensor(let n): "tensor '\(n)' is missing"
        case let .shapeMismatch(n, e, f): "tensor '\(n)' has shape \(f), the model needs \(e)"
        case let .unsupportedDType(n, d): "tensor '\(n)' has dtype \(d); only F32 is supported"
        case .forbiddenGlobal(let g): "pickle names '\(g)', which is not on the whitelist (collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage); refusing to load"
        case let .unsupportedOpcode(op, off): "pickle opcode 0x\(String(op, radix: 16)) at byte \(off) is not one a state dict of float tensors needs; refusing to load"
        }
    }
}

/// Named tensors, in a stable order: a model's parameters as a checkpoint holds them.
public struct StateDict: Sendable, Equatable {
    public private(set) var names: [String] = []
    public private(set) var tensors: [String: Tensor] = [:]

    public init() {}

    public init(_ pairs: [(String, Tensor)]) {
        for (n, t) in pairs { self[n] = t }
    }

    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set {
            if tensors[name] == nil, newValue != nil { names.append(name) }
            if newValue == nil { names.removeAll { $0 == name } }
            tensors[name] = newValue
        }
    }

    /// The tensor `name`, which must exist with exactly `shape`.
    public func tensor(_ name: String, shape: [Int]) throws(CheckpointError) -> Tensor {
        guard let t = tensors[name] else { throw .missingTensor(name) }
        guard t.shape == shape else { throw .shapeMismatch(name: name, expected: shape, found: t.shape) }
        return t
    }

    /// Throws for the first tensor holding a NaN or an infinity.
    public func checkFinite() throws(CheckpointError) {
        for name in names {
            if let i = tensors[name]!.storage.firstIndex(where: { !$0.isFinite }) {
                throw .malformed("tensor '\(name)' holds \(tensors[name]!.storage[i]) at element \(i); a model's weights must be finite")
            }
        }
    }

    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.count } }
}
