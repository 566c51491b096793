/// A reader for the small subset of Python's pickle that a PyTorch state dict of float
/// tensors uses (protocol 2). It never calls anything: the three whitelisted globals are
/// interpreted by name, and any other global or opcode stops the load with an error naming it.
struct PickleReader {
    /// A value on the pickle machine's stack.
    // Sendable stated, not inferred: inferring it through `[(Value, Value)]` is a cycle
    // that the compiler reports as a circular reference in some build orders.
    indirect enum Value: Sendable {
        case none, bool(Bool), int(Int), string(String)
        case tuple([Value]), list([Value]), dict([(Value, Value)])
        case global(String)
        /// A persistent id of a storage: its key in the zip's `data/` folder and element count.
        case storage(key: String, count: Int)
        case tensor(TensorReference)
        case mark
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`.
    struct TensorReference: Sendable {
        let storageKey: String
        let storageCount: Int
        let offset: Int
        let shape: [Int]
        let stride: [Int]
    }

    static let allowedGlobals: Set<String> = ["collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage"]

    /// Bounds from what a state dict needs. Its deepest value is a dict of tensors whose
    /// arguments hold a tuple of ints (depth 4); it has a few dozen entries and memoises
    /// each small value once. A crafted pickle can nest a million tuples (freeing them
    /// recurses) or memoise every version of a growing list (each memo entry is a copy
    /// here): both stop at these bounds with an error instead.
    static let maxDepth = 16
    static let maxContainerCount = 10_000
    static let maxValueNodes = 1_000_000
    static let maxMemoNodes = 1_000_000

    /// A stack or memo entry: the value with its nesting depth and its number of nodes.
    struct Slot: Sendable {
        var value: Value
        var depth: Int
        var nodes: Int
    }

    let bytes: [UInt8]
    var position = 0
    var stack: [Slot] = []
    var memo: [Int: Slot] = [:]
    var memoNodes = 0

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

    mutating func popEntry() throws(CheckpointError) -> Slot {
        guard let v = stack.popLast() else { throw .malformed("pickle stack underflow at byte \(position)") }
        return v
    }

    mutating func pop() throws(CheckpointError) -> Value { try popEntry().value }

    /// Pushes a leaf value.
    mutating func push(_ v: Value) { stack.append(Slot(value: v, depth: 0, nodes: 1)) }

    /// Pushes a container built from `children`, checking depth, width and size.
    /// `extending` is the container that `children` were added to (APPEND, SETITEMS): its
    /// depth and parts carry over, and it gets no deeper by growing.
    mutating func push(_ v: Value, children: [Slot], count: Int, extending base: Slot? = nil) throws(CheckpointError) {
        guard count <= Self.maxContainerCount else {
            throw .malformed("pickle container of \(count) items at byte \(position) (a state dict needs at most \(Self.maxContainerCount))")
        }
        var depth = max(0, (base?.depth ?? 0) - 1), nodes = base?.nodes ?? 1
        for c in children {
            depth = max(depth, c.depth)
            nodes += c.nodes
            guard nodes <= Self.maxValueNodes else { throw .malformed("pickle value at byte \(position) has over \(Self.maxValueNodes) parts") }
        }
        guard depth + 1 <= Self.maxDepth else {
            throw .malformed("pickle nests deeper than \(Self.maxDepth) at byte \(position) (a state dict nests 4 deep)")
        }
        stack.append(Slot(value: v, depth: depth + 1, nodes: nodes))
    }

    mutating func popToMark() throws(CheckpointError) -> [Slot] {
        var items: [Slot] = []
        while true {
            let v = try popEntry()
            if case .mark = v.value { return items.reversed() }
            items.append(v)
        }
    }

    /// BINPUT: the memo keeps a copy of the top value, counted against the memo's budget.
    mutating func memoise(_ index: Int) throws(CheckpointError) {
        guard let top = stack.last else { throw .malformed("memo \(index) written from an empty stack") }
        memoNodes -= memo[index]?.nodes ?? 0
        memoNodes += top.nodes
        guard memoNodes <= Self.maxMemoNodes else {
            throw .malformed("pickle memo holds over \(Self.maxMemoNodes) values at byte \(position)")
        }
        memo[index] = Slot(value: top.value, depth: top.depth, nodes: top.nodes)
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
                push(.global(name))
            case 0x71: try memoise(try uint(1))                       // BINPUT
            case 0x72: try memoise(try uint(4))                       // LONG_BINPUT
            case 0x68, 0x6A:                                          // BINGET, LONG_BINGET
                let i = try uint(op == 0x68 ? 1 : 4)
                guard let v = memo[i] else { throw .malformed("memo \(i) read before it was written") }
                // A copy of the slot: growing the value on the stack must not touch the memo's.
                stack.append(Slot(value: v.value, depth: v.depth, nodes: v.nodes))
            case 0x28: push(.mark)                                    // MARK
            case 0x29: push(.tuple([]))                               // EMPTY_TUPLE
            case 0x5D: push(.list([]))                                // EMPTY_LIST
            case 0x7D: push(.dict([]))                                // EMPTY_DICT
            case 0x4E: push(.none)                                    // NONE
            case 0x88: push(.bool(true))                              // NEWTRUE
            case 0x89: push(.bool(false))                             // NEWFALSE
            case 0x4B: push(.int(try uint(1)))                        // BININT1
            case 0x4D: push(.int(try uint(2)))                        // BININT2
            case 0x4A: push(.int(Int(Int32(truncatingIfNeeded: try uint(4)))))  // BININT
            case 0x58: push(.string(try text(try uint(4))))           // BINUNICODE
            case 0x8C: push(.string(try text(try uint(1))))           // SHORT_BINUNICODE
            case 0x74:                                                // TUPLE
                let items = try popToMark()
                try push(.tuple(items.map { $0.value }), children: items, count: items.count)
            case 0x85:                                                // TUPLE1
                let a = try popEntry()
                try push(.tuple([a.value]), children: [a], count: 1)
            case 0x86:                                                // TUPLE2
                let b = try popEntry(), a = try popEntry()
                try push(.tuple([a.value, b.value]), children: [a, b], count: 2)
            case 0x87:                                                // TUPLE3
                let c = try popEntry(), b = try popEntry(), a = try popEntry()
                try push(.tuple([a.value, b.value, c.value]), children: [a, b, c], count: 3)
            case 0x61, 0x65:                                          // APPEND, APPENDS
                let items = op == 0x61 ? [try popEntry()] : try popToMark()
                var list = try popEntry()
                guard case .list(var l) = list.value else { throw .malformed("APPEND to a non-list") }
                list.value = .none   // so that `l` is the only owner and appends in place
                l += items.map { $0.value }
                try push(.list(l), children: items, count: l.count, extending: list)
            case 0x73, 0x75:                                          // SETITEM, SETITEMS
                let items: [Slot]
                if op == 0x73 { let v = try popEntry(), k = try popEntry(); items = [k, v] } else { items = try popToMark() }
                var dict = try popEntry()
                guard items.count % 2 == 0, case .dict(var d) = dict.value else { throw .malformed("SETITEMS on a non-dict") }
                dict.value = .none
                for i in stride(from: 0, to: items.count, by: 2) { d.append((items[i].value, items[i + 1].value)) }
                try push(.dict(d), children: items, count: d.count, extending: dict)
            case 0x62:                                                // BUILD
                // Only a dict's attribute state (PyTorch's `_metadata`) is expected; it is dropped.
                let state = try pop()
                guard case .dict = state, case .dict? = stack.last?.value else { throw .malformed("BUILD on something other than a dict") }
            case 0x51:                                                // BINPERSID
                guard case .tuple(let pid) = try pop(), pid.count == 5,
                      case .string("storage") = pid[0], case .global("torch.FloatStorage") = pid[1],
                      case .string(let key) = pid[2], case .int(let count) = pid[4]
                else { throw .malformed("persistent id is not a ('storage', torch.FloatStorage, key, location, size) tuple") }
                guard count >= 0 else { throw .malformed("storage '\(key)' declares \(count) elements") }
                push(.storage(key: key, count: count))
            case 0x52:                                                // REDUCE
                let args = try popEntry()
                guard case .global(let callable) = try pop(), case .tuple(let a) = args.value else {
                    throw .malformed("REDUCE of something other than a whitelisted global")
                }
                try push(try reduce(callable, a), children: [args], count: 1)
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
