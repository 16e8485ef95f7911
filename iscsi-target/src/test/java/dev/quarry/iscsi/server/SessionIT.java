package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.ScsiCommands;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Full feature phase behaviour over real sockets: ordering, backpressure, data transfer shapes, NOP, text, events. */
class SessionIT {

    @Test
    void shouldStopAdvancingMaxCmdSnWhileTheQueueIsFull() {
        try (TestServer server = TestServer.start(c -> c.withQueueDepth(4)); TestInitiator initiator = server.loggedIn()) {
            int first = initiator.cmdSn();
            server.scsi().hold(true);
            for (int i = 0; i < 4; i++) {
                initiator.scsi().submit(0, new byte[6], 0, null, false);
            }
            Await.until(() -> server.scsi().heldCount() == 4, "four tasks run");
            NopInPdu full = initiator.ping(new byte[0], true);
            assertThat(full.maxCmdSn()).as("window closed: MaxCmdSN = ExpCmdSN - 1").isEqualTo(first + 3);
            initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, initiator.nextTag(), 0, first + 4, 0,
                    new byte[16], -1, Unpooled.EMPTY_BUFFER));
            assertThat(initiator.silentFor(Duration.ofMillis(300))).as("a command beyond MaxCmdSN is ignored").isTrue();
            server.scsi().hold(false);
            server.scsi().releaseHeld();
            int max = 0;
            for (int i = 0; i < 4; i++) {
                max = ((ScsiResponsePdu) initiator.receive()).maxCmdSn();
            }
            assertThat(max).isEqualTo(first + 7);
        }
    }

    @Test
    void shouldHandCommandsToTheScsiLayerInCmdSnOrder() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            int base = initiator.cmdSn();
            int[] tags = {initiator.nextTag(), initiator.nextTag(), initiator.nextTag()};
            for (int i : new int[] {2, 1}) {
                initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, tags[i], 0, base + i, 0, new byte[16], -1,
                        Unpooled.EMPTY_BUFFER));
            }
            assertThat(initiator.silentFor(Duration.ofMillis(200))).as("held until CmdSN " + base + " arrives").isTrue();
            int immediate = initiator.nextTag();
            initiator.send(new ScsiCommandPdu(true, true, false, false, 1, 0, immediate, 0, base, 0, new byte[16], -1,
                    Unpooled.EMPTY_BUFFER));
            assertThat(TestInitiator.taskTag(initiator.receive())).as("an immediate command does not wait").isEqualTo(immediate);
            initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, tags[0], 0, base, 0, new byte[16], -1,
                    Unpooled.EMPTY_BUFFER));
            for (int i = 0; i < 3; i++) {
                initiator.receive();
            }
            List<Long> executed = server.scsi().executedTags();
            assertThat(executed.subList(executed.size() - 3, executed.size())).containsExactly(
                    Integer.toUnsignedLong(tags[0]), Integer.toUnsignedLong(tags[1]), Integer.toUnsignedLong(tags[2]));
        }
    }

    @Test
    void shouldSegmentDataInByTheInitiatorsLengthsAndCollapseTheStatus() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("MaxRecvDataSegmentLength", "4096")
                    .withKey("MaxBurstLength", "16384").withKey("FirstBurstLength", "16384"));
            int tag = initiator.nextTag();
            initiator.send(new ScsiCommandPdu(false, true, true, false, 1, 0, tag, 65536, initiator.takeCmdSn(), 0,
                    Arrays.copyOf(ScsiCommands.cdb10(0x28, 0, 128), 16), -1, Unpooled.EMPTY_BUFFER));
            List<DataInPdu> pdus = new ArrayList<>();
            while (pdus.isEmpty() || !pdus.get(pdus.size() - 1).statusPresent()) {
                pdus.add((DataInPdu) initiator.awaitTask(tag));
            }
            assertThat(pdus).hasSize(16).allMatch(p -> p.data().readableBytes() == 4096);
            for (int i = 0; i < 16; i++) {
                assertThat(pdus.get(i).dataSn()).isEqualTo(i);
                assertThat(pdus.get(i).bufferOffset()).isEqualTo(i * 4096);
                assertThat(pdus.get(i).finalPdu()).as("F ends each 16 KiB sequence").isEqualTo(i % 4 == 3);
                assertThat(pdus.get(i).statusPresent()).isEqualTo(i == 15);
            }
            pdus.forEach(DataInPdu::release);
        }
    }

    @Test
    void shouldKeepMaxOutstandingR2tInFlight() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("InitialR2T", "Yes").withKey("ImmediateData", "No")
                    .withKey("MaxBurstLength", "65536").withKey("MaxOutstandingR2T", "4"));
            assertThat(initiator.negotiated()).containsEntry("MaxOutstandingR2T", "4");
            byte[] data = BadInputIT.filled(1 << 20, 0x5A);
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, 0, 2048), data.length, data, false);
            List<R2tPdu> r2ts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                r2ts.add((R2tPdu) initiator.awaitTask(write.tag()));
            }
            assertThat(r2ts).extracting(R2tPdu::r2tSn).containsExactly(0, 1, 2, 3);
            assertThat(r2ts).extracting(R2tPdu::bufferOffset).containsExactly(0, 65536, 131072, 196608);
            assertThat(initiator.silentFor(Duration.ofMillis(200))).as("no fifth R2T before data").isTrue();
            for (R2tPdu r2t : r2ts) {
                initiator.scsi().sendData(write.tag(), 0, r2t.targetTransferTag(), data, r2t.bufferOffset(),
                        r2t.desiredDataTransferLength());
            }
            ScsiResult result = initiator.scsi().complete(write);
            assertThat(result.status()).isZero();
            assertThat(result.r2ts()).isEqualTo(12);
            assertThat(initiator.scsi().read10(0, 0, 2048, 512).data()).isEqualTo(data);
        }
    }

    @Test
    void shouldReportReadResidualsAgainstTheExpectedLength() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            ScsiResult under = initiator.scsi().execute(0, ScsiCommands.cdb10(0x28, 0, 1), 1024, null);
            assertThat(under.status()).isZero();
            assertThat(under.underflow()).isTrue();
            assertThat(under.residualCount()).isEqualTo(512);
            ScsiResult over = initiator.scsi().execute(0, ScsiCommands.cdb10(0x28, 0, 2), 512, null);
            assertThat(over.overflow()).isTrue();
            assertThat(over.residualCount()).isEqualTo(512);
            assertThat(over.dataInPdus()).isEqualTo(1);
        }
    }

    @Test
    void shouldReportWriteUnderflowFromTheScsiLayersTransferLength() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            ScsiResult under = initiator.scsi().execute(0, ScsiCommands.cdb10(0x2A, 0, 1), 1024, BadInputIT.filled(1024, 9));
            assertThat(under.status()).isZero();
            assertThat(under.underflow()).isTrue();
            assertThat(under.residualCount()).isEqualTo(512);
        }
    }

    @Test
    void shouldAnswerNopOutWithItsPingData() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            NopInPdu answer = initiator.ping("are you there".getBytes());
            assertThat(answer.data().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("are you there");
            assertThat(answer.targetTransferTag()).isEqualTo(Bhs.RESERVED_TAG);
        }
    }

    @Test
    void shouldPingAnIdleInitiatorAndDropItWhenThePingIsNotAnswered() {
        try (TestServer server = TestServer.start(c -> c.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300),
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1)));
             TestInitiator initiator = server.loggedIn()) {
            initiator.answerPings(false);
            TargetPdu ping = initiator.receive(Duration.ofSeconds(3));
            assertThat(ping).isInstanceOfSatisfying(NopInPdu.class, p -> {
                assertThat(p.initiatorTaskTag()).isEqualTo(Bhs.RESERVED_TAG);
                assertThat(p.targetTransferTag()).isNotEqualTo(Bhs.RESERVED_TAG);
            });
            assertThat(initiator.awaitClose(Duration.ofSeconds(3))).isTrue();
        }
    }

    @Test
    void shouldKeepAnIdleInitiatorThatAnswersPings() {
        try (TestServer server = TestServer.start(c -> c.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofSeconds(2), Duration.ofSeconds(1)));
             TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.silentFor(Duration.ofMillis(1500))).isTrue();
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldSplitSendTargetsByTheInitiatorsSegmentLength() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.connect()) {
            for (int i = 0; i < 40; i++) {
                server.targets().put(TargetEntry.open("iqn.2026-01.dev.quarry:volume-with-a-rather-long-name-" + i, server.scsi()));
            }
            server.targets().put(TargetEntry.open("iqn.2026-01.dev.quarry:hidden", server.scsi())
                    .withAccess(AccessPolicy.allow(List.of("iqn.2000-01.someone:else"))));
            initiator.loginOrFail(LoginOptions.discovery().withKey("MaxRecvDataSegmentLength", "512"));
            List<Map.Entry<String, String>> answer = initiator.text("SendTargets=All");
            assertThat(answer.stream().filter(e -> e.getKey().equals("TargetName"))).hasSize(41);
            assertThat(answer).contains(Map.entry("TargetAddress", "127.0.0.1:" + server.server().port() + ",1"))
                    .doesNotContain(Map.entry("TargetName", "iqn.2026-01.dev.quarry:hidden"));
            assertThat(initiator.text("SendTargets=" + TestServer.TARGET))
                    .containsExactly(Map.entry("TargetName", TestServer.TARGET),
                            Map.entry("TargetAddress", "127.0.0.1:" + server.server().port() + ",1"));
        }
    }

    @Test
    void shouldAnswerSendTargetsWithTheCurrentTargetInANormalSession() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.text("SendTargets=")).extracting(Map.Entry::getValue).first().isEqualTo(TestServer.TARGET);
            assertThat(initiator.text("SendTargets=All")).containsExactly(Map.entry("SendTargets", "Reject"));
        }
    }

    @Test
    void shouldHonourMaxRecvDataSegmentLengthRenegotiatedInFullFeaturePhase() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.text("MaxRecvDataSegmentLength=4096")).isEmpty();
            ScsiResult read = initiator.scsi().read10(0, 0, 64, 512);
            assertThat(read.dataInPdus()).isEqualTo(8);
        }
    }

    @Test
    void shouldSendAsynchronousEventsOfTheScsiLayer() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            byte[] sense = {0x70, 0, 0x06, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x2A, 0x09, 0, 0, 0, 0};
            server.scsi().events(0).asyncEvent(0, sense);
            AsyncMessagePdu message = initiator.awaitAsyncMessage(Duration.ofSeconds(5));
            assertThat(message.asyncEvent()).isEqualTo(AsyncMessagePdu.SCSI_ASYNC_EVENT);
            assertThat(message.data().getUnsignedShort(0)).isEqualTo(sense.length);
            assertThat(message.data().getByte(2 + 12)).isEqualTo((byte) 0x2A);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldAskInitiatorsToLogOutOnGracefulShutdown() {
        TestServer server = TestServer.start();
        try (TestInitiator initiator = server.loggedIn(); TestInitiator loggingIn = server.connect()) {
            CompletableFuture<Void> stopped = server.server().shutdownGracefully(Duration.ofSeconds(5));
            TargetPdu request = initiator.receive();
            assertThat(request).isInstanceOfSatisfying(AsyncMessagePdu.class, m -> {
                assertThat(m.asyncEvent()).isEqualTo(AsyncMessagePdu.LOGOUT_REQUEST);
                assertThat(m.parameter3()).isEqualTo(5);
            });
            assertThat(loggingIn.awaitClose(Duration.ofSeconds(3))).as("a connection still logging in is closed").isTrue();
            assertThat(initiator.logout(0).response()).isZero();
            stopped.join();
        } finally {
            server.close();
        }
    }

    @Test
    void shouldDropSessionsThatIgnoreTheLogoutRequest() {
        TestServer server = TestServer.start();
        try (TestInitiator initiator = server.loggedIn()) {
            long start = System.nanoTime();
            server.server().shutdownGracefully(Duration.ofMillis(500)).join();
            assertThat(initiator.awaitClose(Duration.ofSeconds(3))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            server.close();
        }
    }

    @Test
    void shouldAskSessionsOfARemovedTargetToLogOut() {
        try (TestServer server = TestServer.start(); TestInitiator initiator = server.loggedIn()) {
            server.targets().remove(TestServer.TARGET);
            assertThat(initiator.receive()).isInstanceOfSatisfying(AsyncMessagePdu.class,
                    m -> assertThat(m.asyncEvent()).isEqualTo(AsyncMessagePdu.LOGOUT_REQUEST));
            try (TestInitiator late = server.connect()) {
                assertThat(late.login(LoginOptions.normal(TestServer.TARGET)).status()).isEqualTo(0x0203);
            }
            initiator.send(new NopOutPdu(true, 0, initiator.nextTag(), Bhs.RESERVED_TAG, initiator.cmdSn(), 0,
                    Unpooled.EMPTY_BUFFER));
            assertThat(initiator.receive()).isInstanceOf(NopInPdu.class);
        }
    }
}
