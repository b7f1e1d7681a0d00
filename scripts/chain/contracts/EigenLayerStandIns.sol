// SPDX-License-Identifier: MIT
// Local-chain stand-ins for the EigenLayer contracts the prover-mesh stake oracle reads.
// Written for prover-mesh; they reproduce the read interface, return types and event declarations of
// Layr-Labs/eigenlayer-contracts v1.12.0 exactly (selectors and topics are derived from them), so the
// node's viem code is the same against anvil and mainnet. Functions prefixed `mock` are test-only
// controls (no access control: these contracts must never be deployed anywhere but a local chain).
pragma solidity ^0.8.27;

struct OperatorSet {
    address avs;
    uint32 id;
}

struct Allocation {
    uint64 currentMagnitude;
    int128 pendingDiff;
    uint32 effectBlock;
}

uint64 constant WAD = 1e18;

/// A strategy whose shares convert to underlying tokens at a fixed rate (WAD = 1:1).
contract StandInStrategy {
    address public immutable underlyingToken;
    uint256 public immutable rateWad;
    uint256 public totalShares;

    constructor(address token, uint256 rate) {
        underlyingToken = token;
        rateWad = rate;
    }

    function sharesToUnderlyingView(uint256 amountShares) external view returns (uint256) {
        return (amountShares * rateWad) / WAD;
    }
}

contract StandInDelegationManager {
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event OperatorSharesIncreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesDecreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesSlashed(address indexed operator, address strategy, uint256 totalSlashedShares);

    mapping(address => bool) private _isOperator;
    /// Public mapping getter: `operatorShares(address,address)`, as in DelegationManagerStorage.
    mapping(address => mapping(address => uint256)) public operatorShares;

    function isOperator(address operator) public view returns (bool) {
        return _isOperator[operator];
    }

    /// Operators are delegated to themselves; unknown addresses to nobody.
    function delegatedTo(address staker) external view returns (address) {
        return _isOperator[staker] ? staker : address(0);
    }

    function getOperatorShares(address operator, address[] memory strategies) public view returns (uint256[] memory shares) {
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) shares[i] = operatorShares[operator][strategies[i]];
    }

    function getOperatorsShares(address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory shares)
    {
        shares = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) shares[i] = getOperatorShares(operators[i], strategies);
    }

    function mockRegisterOperator(address operator) public {
        if (_isOperator[operator]) return;
        _isOperator[operator] = true;
        emit OperatorRegistered(operator, address(0));
    }

    /// Sets an operator's delegated shares, emitting the real delta events (staker = operator itself).
    function mockSetShares(address operator, address strategy, uint256 shares) public {
        uint256 previous = operatorShares[operator][strategy];
        operatorShares[operator][strategy] = shares;
        if (shares > previous) emit OperatorSharesIncreased(operator, operator, strategy, shares - previous);
        if (shares < previous) emit OperatorSharesDecreased(operator, operator, strategy, previous - shares);
    }

    /// The AVS slashing path: lowers shares and emits OperatorSharesSlashed, not OperatorSharesDecreased.
    function mockSlashShares(address operator, address strategy, uint256 slashedShares) external {
        operatorShares[operator][strategy] -= slashedShares;
        emit OperatorSharesSlashed(operator, strategy, slashedShares);
    }
}

contract StandInAllocationManager {
    event OperatorSetCreated(OperatorSet operatorSet);
    event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorRemovedFromOperatorSet(address indexed operator, OperatorSet operatorSet);
    event AllocationUpdated(address operator, OperatorSet operatorSet, address strategy, uint64 magnitude, uint32 effectBlock);
    event MaxMagnitudeUpdated(address operator, address strategy, uint64 maxMagnitude);
    event OperatorSlashed(address operator, OperatorSet operatorSet, address[] strategies, uint256[] wadSlashed, string description);
    event StrategyAddedToOperatorSet(OperatorSet operatorSet, address strategy);

    StandInDelegationManager public immutable delegation;
    uint32 public immutable DEALLOCATION_DELAY;

    mapping(bytes32 => bool) private _setExists;
    mapping(bytes32 => address[]) private _members;
    mapping(bytes32 => mapping(address => uint256)) private _memberIndexPlusOne;
    mapping(bytes32 => address[]) private _strategies;
    /// Block until which a removed operator stays slashable (real EL: DEALLOCATION_DELAY after removal).
    mapping(bytes32 => mapping(address => uint32)) private _slashableUntil;
    mapping(address => mapping(bytes32 => mapping(address => Allocation))) private _allocations;
    /// Stored as WAD - maxMagnitude so that the zero default means "never slashed" (WAD), as in EL.
    mapping(address => mapping(address => uint64)) private _maxMagnitudeLost;

    constructor(StandInDelegationManager delegationManager, uint32 deallocationDelay) {
        delegation = delegationManager;
        DEALLOCATION_DELAY = deallocationDelay;
    }

    // ---- reads (EigenLayer IAllocationManager) ----

    function isOperatorSet(OperatorSet memory operatorSet) external view returns (bool) {
        return _setExists[_key(operatorSet)];
    }

    function isMemberOfOperatorSet(address operator, OperatorSet memory operatorSet) public view returns (bool) {
        return _memberIndexPlusOne[_key(operatorSet)][operator] != 0;
    }

    function isOperatorSlashable(address operator, OperatorSet memory operatorSet) public view returns (bool) {
        return isMemberOfOperatorSet(operator, operatorSet) || block.number < _slashableUntil[_key(operatorSet)][operator];
    }

    function getMembers(OperatorSet memory operatorSet) external view returns (address[] memory operators) {
        return _members[_key(operatorSet)];
    }

    function getMemberCount(OperatorSet memory operatorSet) external view returns (uint256) {
        return _members[_key(operatorSet)].length;
    }

    function getStrategiesInOperatorSet(OperatorSet memory operatorSet) external view returns (address[] memory strategies) {
        return _strategies[_key(operatorSet)];
    }

    /// The allocation with any pending change whose effectBlock has passed applied (EL `_getUpdatedAllocation`).
    function getAllocation(address operator, OperatorSet memory operatorSet, address strategy)
        public
        view
        returns (Allocation memory)
    {
        return _updated(_allocations[operator][_key(operatorSet)][strategy]);
    }

    function getMaxMagnitudes(address operator, address[] calldata strategies) external view returns (uint64[] memory m) {
        m = new uint64[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) m[i] = _maxMagnitude(operator, strategies[i]);
    }

    /// Stake guaranteed slashable until futureBlock: pending deallocations effective by then are subtracted,
    /// pending allocations are not added, and operators that are not slashable get 0 (EL AllocationManagerView).
    function getMinimumSlashableStake(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory slashableStake) {
        slashableStake = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            slashableStake[i] = new uint256[](strategies.length);
            if (!isOperatorSlashable(operators[i], operatorSet)) continue;
            for (uint256 j = 0; j < strategies.length; j++) {
                Allocation memory a = getAllocation(operators[i], operatorSet, strategies[j]);
                int256 magnitude = int256(uint256(a.currentMagnitude));
                if (a.pendingDiff < 0 && a.effectBlock <= futureBlock) magnitude += a.pendingDiff;
                slashableStake[i][j] = _stake(operators[i], strategies[j], uint256(magnitude));
            }
        }
    }

    /// Allocated stake at the current block, without the slashability check (EL semantics).
    function getAllocatedStake(OperatorSet memory operatorSet, address[] memory operators, address[] memory strategies)
        external
        view
        returns (uint256[][] memory slashableStake)
    {
        slashableStake = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; i++) {
            slashableStake[i] = new uint256[](strategies.length);
            for (uint256 j = 0; j < strategies.length; j++) {
                uint64 magnitude = getAllocation(operators[i], operatorSet, strategies[j]).currentMagnitude;
                slashableStake[i][j] = _stake(operators[i], strategies[j], magnitude);
            }
        }
    }

    // ---- test-only controls (emit the real events so the node's log tailing is exercised) ----

    function mockCreateOperatorSet(OperatorSet memory operatorSet, address[] memory strategies) external {
        bytes32 key = _key(operatorSet);
        require(!_setExists[key], "set exists");
        _setExists[key] = true;
        emit OperatorSetCreated(operatorSet);
        for (uint256 i = 0; i < strategies.length; i++) {
            _strategies[key].push(strategies[i]);
            emit StrategyAddedToOperatorSet(operatorSet, strategies[i]);
        }
    }

    function mockAddToSet(address operator, OperatorSet memory operatorSet) public {
        bytes32 key = _key(operatorSet);
        require(_setExists[key], "no such set");
        require(delegation.isOperator(operator), "not an operator");
        if (_memberIndexPlusOne[key][operator] != 0) return;
        _members[key].push(operator);
        _memberIndexPlusOne[key][operator] = _members[key].length;
        emit OperatorAddedToOperatorSet(operator, operatorSet);
    }

    function mockRemoveFromSet(address operator, OperatorSet memory operatorSet) external {
        bytes32 key = _key(operatorSet);
        uint256 indexPlusOne = _memberIndexPlusOne[key][operator];
        require(indexPlusOne != 0, "not a member");
        address last = _members[key][_members[key].length - 1];
        _members[key][indexPlusOne - 1] = last;
        _memberIndexPlusOne[key][last] = indexPlusOne;
        _members[key].pop();
        delete _memberIndexPlusOne[key][operator];
        _slashableUntil[key][operator] = uint32(block.number) + DEALLOCATION_DELAY;
        emit OperatorRemovedFromOperatorSet(operator, operatorSet);
    }

    /// Allocates (magnitude above current) or deallocates (below) taking effect at effectBlock; an
    /// effectBlock at or before the current block applies at once, like an allocation with zero delay.
    function mockAllocate(address operator, OperatorSet memory operatorSet, address strategy, uint64 magnitude, uint32 effectBlock)
        public
    {
        Allocation storage stored = _allocations[operator][_key(operatorSet)][strategy];
        Allocation memory a = _updated(stored);
        if (effectBlock <= block.number) {
            a.currentMagnitude = magnitude;
            a.pendingDiff = 0;
            a.effectBlock = uint32(block.number);
        } else {
            a.pendingDiff = int128(int256(uint256(magnitude))) - int128(int256(uint256(a.currentMagnitude)));
            a.effectBlock = effectBlock;
        }
        stored.currentMagnitude = a.currentMagnitude;
        stored.pendingDiff = a.pendingDiff;
        stored.effectBlock = a.effectBlock;
        emit AllocationUpdated(operator, operatorSet, strategy, magnitude, a.effectBlock);
    }

    /// Slashes wads[i] (WAD = 100 %) of the operator's current magnitude in each strategy, as EL's
    /// slashOperator does: magnitude and max magnitude drop by the same amount, and delegated shares
    /// drop by the slashed fraction (so other sets' ratios stay, this set's stake falls).
    function mockSlash(address operator, OperatorSet memory operatorSet, address[] memory strategies, uint256[] memory wads, string memory description)
        external
    {
        require(strategies.length == wads.length, "length mismatch");
        bytes32 key = _key(operatorSet);
        for (uint256 i = 0; i < strategies.length; i++) {
            Allocation storage stored = _allocations[operator][key][strategies[i]];
            Allocation memory a = _updated(stored);
            uint64 slashed = uint64((uint256(a.currentMagnitude) * wads[i] + WAD - 1) / WAD);
            uint64 maxBefore = _maxMagnitude(operator, strategies[i]);
            uint256 shares = delegation.operatorShares(operator, strategies[i]);
            uint256 slashedShares = (shares * slashed) / maxBefore;
            stored.currentMagnitude = a.currentMagnitude - slashed;
            stored.pendingDiff = a.pendingDiff;
            stored.effectBlock = a.effectBlock;
            _maxMagnitudeLost[operator][strategies[i]] += slashed;
            delegation.mockSlashShares(operator, strategies[i], slashedShares);
            emit MaxMagnitudeUpdated(operator, strategies[i], maxBefore - slashed);
        }
        emit OperatorSlashed(operator, operatorSet, strategies, wads, description);
    }

    /// Seeds many operators in one transaction: register, set shares, join the set, allocate at once.
    function mockSeedOperators(
        OperatorSet memory operatorSet,
        address[] memory operators,
        address[] memory strategies,
        uint256[] memory shares,
        uint64 magnitude
    ) external {
        require(operators.length == shares.length, "length mismatch");
        for (uint256 i = 0; i < operators.length; i++) {
            delegation.mockRegisterOperator(operators[i]);
            for (uint256 j = 0; j < strategies.length; j++) {
                delegation.mockSetShares(operators[i], strategies[j], shares[i]);
                mockAllocate(operators[i], operatorSet, strategies[j], magnitude, 0);
            }
            mockAddToSet(operators[i], operatorSet);
        }
    }

    // ---- internals ----

    function _key(OperatorSet memory operatorSet) private pure returns (bytes32) {
        return keccak256(abi.encode(operatorSet.avs, operatorSet.id));
    }

    function _updated(Allocation memory a) private view returns (Allocation memory) {
        if (a.pendingDiff != 0 && a.effectBlock <= block.number) {
            a.currentMagnitude = uint64(uint256(int256(uint256(a.currentMagnitude)) + a.pendingDiff));
            a.pendingDiff = 0;
        }
        return a;
    }

    function _maxMagnitude(address operator, address strategy) private view returns (uint64) {
        return WAD - _maxMagnitudeLost[operator][strategy];
    }

    function _stake(address operator, address strategy, uint256 magnitude) private view returns (uint256) {
        uint64 maxMagnitude = _maxMagnitude(operator, strategy);
        if (maxMagnitude == 0) return 0;
        return (delegation.operatorShares(operator, strategy) * magnitude) / maxMagnitude;
    }
}

/// A smart-contract operator (a multisig or vault in real life) that approves what its owner signs,
/// via ERC-1271. Lets tests check that bindings of contract operators verify through the chain.
contract StandInContractOperator {
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    address public immutable owner;

    constructor(address contractOwner) {
        owner = contractOwner;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
        return ecrecover(hash, v, r, s) == owner ? ERC1271_MAGIC : bytes4(0xffffffff);
    }
}
