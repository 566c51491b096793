/// A reader for the small subset of Python's pickle that a PyTorch state dict of float
/// tensors uses (protocol 2). It never calls anything: the three whitelisted globals are
/// interpreted by name, and any other global or opcode stops the load with an error naming it.
struct PickleReader {
    /// A value on the pickle machine's stack.
    indirect enum Value {
        case none, bool(Bool), int(Int), string(String)
        case tuple([Value]), list([Value]), dict([(Value, Value)])
        case global(String)
        /// A persistent id of a storage: its key in the zip's `data/` folder and element count.
        case storage(key: String, count: Int)
        case tensor(TensorReference)
        case mark
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`.
    struct TensorReference {
        let storageKey: String
        let storageCount: Int
        let offset: Int
        let shape: [Int]
        let stride: [Int]
    }

    static let allowedGlobals: Set<String> = ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage"]

    let bytes: [UInt8]
    var position = 0
    var stack: [Value] = []
    var memo: [Int: Value] = [:]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() throws(CheckpointError) -> UInt8 {
        guard position < bytes.count else { throw .truncated("pickle ends at byte \(position) before STOP") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint(_ n: Int) throws(CheckpointError) -> Int {
        var v = 0
        for i in 0..<n { v |= Int(try u8()) << (8 * i) }
        return v
    }

    mutating func line() throws(CheckpointError) -> String {
        var s: [UInt8] = []
        while true {
            let b = try u8()
            if b == 0x0A { break }
            s.append(b)
            if s.count > 256 { throw .malformed("GLOBAL name longer than 256 bytes") }
        }
        return String(decoding: s, as: UTF8.self)
    }

    mutating func text(_ n: Int) throws(CheckpointError) -> String {
        guard n >= 0, position + n <= bytes.count else { throw .truncated("string of \(n) bytes runs past the pickle") }
        defer { position += n }
        return String(decoding: bytes[position..<position + n], as: UTF8.self)
    }

    mutating func pop() throws(CheckpointError) -> Value {
        guard let v = stack.popLast() else { throw .malformed("pickle stack underflow at byte \(position)") }
        return v
    }

    mutating func popToMark() throws(CheckpointError) -> [Value] {
        var items: [Value] = []
        while true {
            let v = try pop()
            if case .mark = v { return items.reversed() }
            items.append(v)
        }
    }

    /// Runs the pickle and returns the top-level value.
    mutating func run() throws(CheckpointError) -> Value {
        while true {
            let at = position
            let op = try u8()
            switch op {
            case 0x80: _ = try u8()                                   // PROTO
            case 0x2E: return try pop()                               // STOP
            case 0x63:                                                // GLOBAL
                let name = try line() + "." + line()
                guard Self.allowedGlobals.contains(name) else { throw .forbiddenGlobal(name) }
                stack.append(.global(name))
            case 0x71: memo[try uint(1)] = stack.last                 // BINPUT
            case 0x72: memo[try uint(4)] = stack.last                 // LONG_BINPUT
            case 0x68, 0x6A:                                          // BINGET, LONG_BINGET
                let i = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[i] else { throw .malformed("memo \(i) read before it was written") }
                stack.append(v)
            case 0x28: stack.append(.mark)                            // MARK
            case 0x29: stack.append(.tuple([]))                       // EMPTY_TUPLE
            case 0x5D: stack.append(.list([]))                        // EMPTY_LIST
            case 0x7D: stack.append(.dict([]))                        // EMPTY_DICT
            case 0x4E: stack.append(.none)                            // NONE
            case 0x88: stack.append(.bool(true))                      // NEWTRUE
            case 0x89: stack.append(.bool(false))                     // NEWFALSE
            case 0x4B: stack.append(.int(try uint(1)))                // BININT1
            case 0x4D: stack.append(.int(try uint(2)))                // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x58: stack.append(.string(try text(try uint(4))))   // BINUNICODE
            case 0x8C: stack.append(.string(try text(try uint(1))))   // SHORT_BINUNICODE
            case 0x74: stack.append(.tuple(try popToMark()))          // TUPLE
            case 0x85: stack.append(.tuple([try pop()]))              // TUPLE1
            case 0x86:                                                // TUPLE2
                let b = try pop(), a = try pop()
                stack.append(.tuple([a, b]))
            case 0x87:                                                // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                stack.append(.tuple([a, b, c]))
            case 0x61:                                                // APPEND
                let v = try pop()
                guard case .list(var l) = try pop() else { throw .malformed("APPEND to a non-list") }
                l.append(v)
                stack.append(.list(l))
            case 0x65:                                                // APPENDS
                let items = try popToMark()
                guard case .list(var l) = try pop() else { throw .malformed("APPENDS to a non-list") }
                l += items
                stack.append(.list(l))
            case 0x73:                                                // SETITEM
                let v = try pop(), k = try pop()
                guard case .dict(var d) = try pop() else { throw .malformed("SETITEM on a non-dict") }
                d.append((k, v))
                stack.append(.dict(d))
            case 0x75:                                                // SETITEMS
                let items = try popToMark()
                guard items.count % 2 == 0, case .dict(var d) = try pop() else { throw .malformed("SETITEMS on a non-dict") }
                for i in stride(from: 0, to: items.count, by: 2) { d.append((items[i], items[i + 1])) }
                stack.append(.dict(d))
            case 0x62:                                                // BUILD
                // Only a dict's attribute state (PyTorch's `_metadata`) is expected; it is dropped.
                let state = try pop()
                guard case .dict = state, case .dict? = stack.last else { throw .malformed("BUILD on something other than a dict") }
            case 0x51:                                                // BINPERSID
                guard case .tuple(let pid) = try pop(), pid.count == 5,
                      case .string("storage") = pid[0], case .global("torch.FloatStorage") = pid[1],
                      case .string(let key) = pid[2], case .int(let count) = pid[4]
                else { throw .malformed("persistent id is not a ('storage', torch.FloatStorage, key, location, size) tuple") }
                stack.append(.storage(key: key, count: count))
            case 0x52:                                                // REDUCE
                let args = try pop()
                guard case .global(let callable) = try pop(), case .tuple(let a) = args else {
                    throw .malformed("REDUCE of something other than a whitelisted global")
                }
                stack.append(try reduce(callable, a))
            default:
                throw .unsupportedOpcode(opcode: op, offset: at)
            }
        }
    }

    func reduce(_ callable: String, _ args: [Value]) throws(CheckpointError) -> Value {
        switch callable {
        case "collections.OrderedDict":
            return .dict([])
        case "torch._utils._rebuild_tensor_v2":
            guard args.count >= 4, case let .storage(key, count) = args[0], case .int(let offset) = args[1],
                  case .tuple(let size) = args[2], case .tuple(let stride) = args[3]
            else { throw .malformed("_rebuild_tensor_v2 with unexpected arguments") }
            func ints(_ v: [Value]) throws(CheckpointError) -> [Int] {
                var out: [Int] = []
                for x in v { guard case .int(let i) = x else { throw .malformed("tensor size or stride is not integers") }; out.append(i) }
                return out
            }
            return .tensor(TensorReference(storageKey: key, storageCount: count, offset: offset,
                                           shape: try ints(size), stride: try ints(stride)))
        default:
            throw .forbiddenGlobal(callable)
        }
    }
}
