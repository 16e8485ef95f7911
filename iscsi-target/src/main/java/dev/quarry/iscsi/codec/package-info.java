/**
 * The iSCSI codec on Netty: {@link dev.quarry.iscsi.codec.IscsiFrameDecoder} (framing with limits
 * checked before buffering), {@link dev.quarry.iscsi.codec.PduDecoder} /
 * {@link dev.quarry.iscsi.codec.PduEncoder} under {@link dev.quarry.iscsi.codec.IscsiServerCodec}
 * (digests, typed PDUs) for the target side, {@link dev.quarry.iscsi.codec.TargetPduDecoder} /
 * {@link dev.quarry.iscsi.codec.InitiatorPduEncoder} under
 * {@link dev.quarry.iscsi.codec.IscsiClientCodec} for the initiator side, and the wire layouts of
 * both directions.
 *
 * <h2>Buffer ownership rules</h2>
 * These hold for the whole iSCSI transport (STYLE B5).
 * <ol>
 *   <li>Whoever touches a buffer last releases it. Every method that receives a buffer or a
 *       reference-counted PDU says in its Javadoc whether it <em>takes ownership</em> (it will
 *       release or pass it on) or <em>borrows</em> it (the caller still owns it).</li>
 *   <li>Decoders never copy payloads: the frame decoder emits {@code readRetainedSlice}s, the PDU
 *       decoder gives each PDU a {@code retainedSlice} of its frame as data segment. Only the
 *       48-byte header of a bad PDU is copied, into the Reject that answers it.</li>
 *   <li>Whatever consumes a PDU releases it in {@code finally}. The connection handler releases
 *       every inbound PDU after dispatch unless it passed ownership on: immediate data and Data-Out
 *       payloads are kept as retained slices in the task's {@code CompositeByteBuf}, which moves to
 *       the SCSI layer inside {@code ScsiCommand} ({@code NexusPort.execute} takes ownership).</li>
 *   <li>After {@code ctx.write(pdu)} the caller does not touch {@code pdu} again; the encoder
 *       releases it (also on failure). The encoder retains the data segment it writes, so a
 *       Data-In PDU holding a {@code retainedSlice} of the SCSI layer's buffer goes to the socket
 *       without a copy, and so does a Data-Out PDU holding a slice of the initiator's caller's
 *       buffer.</li>
 *   <li>The SCSI layer hands its Data-In over in {@code ScsiResponse} (ownership moves to the
 *       transport); the transport slices it into Data-In PDUs and releases the original. A
 *       response that arrives after its connection closed is released on arrival.</li>
 *   <li>Decoders holding partial input (the frame decoder's cumulation) free it in
 *       {@code channelInactive}/{@code handlerRemoved}; tasks still collecting Data-Out free their
 *       composite buffer when the connection closes or the task is aborted.</li>
 *   <li>Tests run with {@code -Dio.netty.leakDetection.level=paranoid} and a JUnit extension that
 *       fails the class on any leak report; {@code EmbeddedChannel} tests end with
 *       {@code finishAndReleaseAll()} or {@code assertFalse(channel.finish())}.</li>
 * </ol>
 *
 * <p>Handlers in this package are confined to their channel's event loop and are not sharable.
 */
package dev.quarry.iscsi.codec;
