/* condace_vectors.h - Windows' conditional-ACE results, as data for
 * tests/test_condace.c: byte-exact "artx" application data Windows made
 * from SDDL text, and Windows' canonical re-formatting of text. Sources are
 * given in test_condace.c's opening comment (Samba's
 * libcli/security/tests/data and conditional_aces*.txt, whose right sides
 * Windows wrote). Included by that one file only. */
#ifndef NTSEC_TESTS_CONDACE_VECTORS_H
#define NTSEC_TESTS_CONDACE_VECTORS_H

struct vector {
    const char *text;
    const char *hex;        /* ApplicationData after "artx", ACE padding included */
};

/* Windows-generated: text -> bytes (sources in the file comment). */
static const struct vector windows_vectors[] = {
    { "(@User.Title == \"\")",
      "f90a0000005400690074006c006500100000000080000000" },
    { "(@User.title == \"perambuator\")",
      "f90a0000007400690074006c006500101600000070006500720061006d006200"
      "7500610074006f0072008000" },
    { "(!(! (Member_of{SID(AA)})))",
      "501500000051100000000102000000000005200000004302000089a2a2000000" },
    { "(!(!(!(!(!(! (Member_of{SID(AA)})))))))",
      "501500000051100000000102000000000005200000004302000089a2a2a2a2a2"
      "a2000000" },
    { "(@Device.colour == \"blue\")",
      "fb0c00000063006f006c006f0075007200100800000062006c00750065008000" },
    { "(@Device.colour == @Resource.colour)",
      "fb0c00000063006f006c006f0075007200fa0c00000063006f006c006f007500"
      "72008000" },
    { "(@Device.colour == {\"orange\", \"blue\"})",
      "fb0c00000063006f006c006f0075007200501e000000100c0000006f00720061"
      "006e0067006500100800000062006c007500650080000000" },
    { "(@Device.colour Contains @Resource.colour)",
      "fb0c00000063006f006c006f0075007200fa0c00000063006f006c006f007500"
      "72008600" },
    { "(@Device.legs == 1)",
      "fb080000006c00650067007300040100000000000000030280000000" },
    { "(@Device.legs >= 1)",
      "fb080000006c00650067007300040100000000000000030285000000" },
    { "(@User.colour == @Device.colour)",
      "f90c00000063006f006c006f0075007200fb0c00000063006f006c006f007500"
      "72008000" },
    { "(Device_Member_of{SID(AA)} || Member_of{SID(WD)})",
      "50150000005110000000010200000000000520000000430200008a5011000000"
      "510c00000001010000000000010000000089a100" },
    { "(Device_Member_of{SID(BA)} && Member_of{SID(WD)})",
      "50150000005110000000010200000000000520000000200200008a5011000000"
      "510c00000001010000000000010000000089a000" },
    { "(Device_Member_of{SID(BA)})",
      "50150000005110000000010200000000000520000000200200008a00" },
    { "(Device_Member_of{SID(BG)} || Member_of{SID(WR)})",
      "50150000005110000000010200000000000520000000220200008a5011000000"
      "510c00000001010000000000052100000089a100" },
    { "(Member_of{SID(S-1-77-88-99)})",
      "50150000005110000000010200000000004d58000000630000008900" },
    { "(a == 1)",
      "f802000000610004010000000000000003028000" },
    { "(Member_of_Any{SID(S-1-222-333)})",
      "5011000000510c00000001010000000000de4d0100008b00" },
    { "(@Device.bb == 0x7fffffffffffffff)",
      "fb040000006200620004ffffffffffffff7f030380000000" },
    { "(@Device.bb == 0xffffffff)",
      "fb040000006200620004ffffffff00000000030380000000" },
    { "(@Device.bb == 0xfffffffff)",
      "fb040000006200620004ffffffff0f000000030380000000" },
    { "(@User.a == @User.b)",
      "f9020000006100f90200000062008000" },
    { "(a == @User.a)",
      "f8020000006100f90200000061008000" },
    { "(@User.Title != @User.Title)",
      "f90a0000005400690074006c006500f90a0000005400690074006c0065008100" },
    { "(@Device.Bitlocker && @Device.Bitlocker)",
      "fb120000004200690074006c006f0063006b0065007200fb1200000042006900"
      "74006c006f0063006b0065007200a000" },
    { "(@Device.Bitlocker || @Device.Bitlocker)",
      "fb120000004200690074006c006f0063006b0065007200fb1200000042006900"
      "74006c006f0063006b0065007200a100" },
    { "(@USER.A && @Device.B && @USER.C)",
      "f9020000004100fb020000004200a0f9020000004300a000" },
    { "(@USER.A && @Device.B || @USER.C)",
      "f9020000004100fb020000004200a0f9020000004300a100" },
    { "(@USER.A && @Device.B)",
      "f9020000004100fb020000004200a000" },
    { "(@USER.A || @Device.B && @USER.C)",
      "f9020000004100fb020000004200f9020000004300a0a100" },
    { "(@USER.A || @Device.B || @USER.C)",
      "f9020000004100fb020000004200a1f9020000004300a100" },
    { "(@USER.Bitlocker || @Device.Bitlocker)",
      "f9120000004200690074006c006f0063006b0065007200fb1200000042006900"
      "74006c006f0063006b0065007200a100" },
    { "(Member_of {SID(S-1-999-777-7-7), SID(BO)} && @Device.Bitlocker)",
      "502e000000511400000001030000000003e70903000007000000070000005110"
      "0000000102000000000005200000002702000089fb120000004200690074006c"
      "006f0063006b0065007200a0" },
    { "(@User.Project Any_of @Resource.Project)",
      "f90e000000500072006f006a00650063007400fa0e000000500072006f006a00"
      "6500630074008800" },
    { "(@User.Title == \"PM\")",
      "f90a0000005400690074006c006500100400000050004d0080000000" },
    { "(@User.Title == @User.Title)",
      "f90a0000005400690074006c006500f90a0000005400690074006c0065008000" },
    { "(@User.Title != \"PM\")",
      "f90a0000005400690074006c006500100400000050004d0081000000" },
    { "(!(@USER.Project Not_Any_of 1))",
      "f90e000000500072006f006a0065006300740004010000000000000003028fa2" },
    { "(@USER.Project Any_of \"pink\")",
      "f90e000000500072006f006a006500630074001008000000700069006e006b00"
      "88000000" },
    { "(@USER.Project Any_of 1)",
      "f90e000000500072006f006a0065006300740004010000000000000003028800" },
    { "(OctetStringType==##1#2#3##)",
      "f81e0000004f00630074006500740053007400720069006e0067005400790070"
      "00650018040000000102030080000000" },
    { "(OctetStringType==#01020300)",
      "f81e0000004f00630074006500740053007400720069006e0067005400790070"
      "00650018040000000102030080000000" },
    { "(Member_Of SID(S-1-1-0))",
      "510c000000010100000000000100000000890000" },
    { "(Member_of_Any{SID(AS),SID(WD)})",
      "5022000000510c000000010100000000001201000000510c0000000101000000"
      "000001000000008b" },
    { "(Member_Of{SID(S-1-1-0)})",
      "5011000000510c0000000101000000000001000000008900" },
    { "(Member_of SID(S-1-1-0))",
      "510c000000010100000000000100000000890000" },
    { "(Member_of(SID(S-1-1-0)))",
      "510c000000010100000000000100000000890000" },
    { "(Member_of_Any SID(S-1-1-0))",
      "510c0000000101000000000001000000008b0000" },
    { "(Member_of_Any{SID(S-1-1-0), SID(S-1-222-333)})",
      "5022000000510c000000010100000000000100000000510c0000000101000000"
      "0000de4d0100008b" },
    { "(Member_of_Any{SID(S-1-1-334), SID(S-1-222-333)})",
      "5022000000510c00000001010000000000014e010000510c0000000101000000"
      "0000de4d0100008b" },
    { "(Member_of{SID(S-1-1-0)})",
      "5011000000510c0000000101000000000001000000008900" },
    { "(mEMBER_of{SID(S-1-1-0)})",
      "5011000000510c0000000101000000000001000000008900" },
    { "(member_of{SID(S-1-1-0)})",
      "5011000000510c0000000101000000000001000000008900" },
    { "(@USER.ad://ext/AuthenticationSilo == \"siloname\")",
      "f936000000610064003a002f002f006500780074002f00410075007400680065"
      "006e007400690063006100740069006f006e00530069006c006f001010000000"
      "730069006c006f006e0061006d00650080000000" },
    { "((Device_Member_of {SID(AA)}) && (Member_of {SID(WD)}))",
      "50150000005110000000010200000000000520000000430200008a5011000000"
      "510c00000001010000000000010000000089a000" },
    { "((Device_Member_of {SID(AA)}) && (Member_of {SID(WR)}))",
      "50150000005110000000010200000000000520000000430200008a5011000000"
      "510c00000001010000000000052100000089a000" },
    { "((Device_Member_of {SID(AA)}) || (Member_of {SID(WD)}))",
      "50150000005110000000010200000000000520000000430200008a5011000000"
      "510c00000001010000000000010000000089a100" },
    { "((Device_Member_of {SID(AA)}) || (Member_of {SID(WR)}))",
      "50150000005110000000010200000000000520000000430200008a5011000000"
      "510c00000001010000000000052100000089a100" },
    { "((Device_Member_of {SID(BA)}) && (Member_of {SID(BA)}))",
      "50150000005110000000010200000000000520000000200200008a5015000000"
      "51100000000102000000000005200000002002000089a000" },
    { "((Device_Member_of {SID(BA)}) && (Member_of {SID(WD)}))",
      "50150000005110000000010200000000000520000000200200008a5011000000"
      "510c00000001010000000000010000000089a000" },
    { "((Device_Member_of {SID(BG)}) || (Member_of {SID(WR)}))",
      "50150000005110000000010200000000000520000000220200008a5011000000"
      "510c00000001010000000000052100000089a100" },
    { "(@DEVICE.cFXoLoDUBU Contains @DEVICE.e.colour)",
      "fb140000006300460058006f004c006f004400550042005500fb100000006500"
      "2e0063006f006c006f00750072008600" },
    { "(@DEVICE.cFXoloDUBU Contains @RESOURCE.%0100lour)",
      "fb140000006300460058006f006c006f004400550042005500fa0a0000000001"
      "6c006f007500720086000000" },
    { "(@DEVICE.cFXoloDUBU Contains @RESOURCE.bolour)",
      "fb140000006300460058006f006c006f004400550042005500fa0c0000006200"
      "6f006c006f00750072008600" },
    { "(@DEVICE.cFXoloDUBU Contains @RESOURCE.colour)",
      "fb140000006300460058006f006c006f004400550042005500fa0c0000006300"
      "6f006c006f00750072008600" },
    { "(@DEVICE.cFXolour Contains @RESOURCE.colour)",
      "fb100000006300460058006f006c006f0075007200fa0c00000063006f006c00"
      "6f00750072008600" },
    { "(@DEVICE.colOour == {\"orange\", \"blue\"})",
      "fb0e00000063006f006c004f006f0075007200501e000000100c0000006f0072"
      "0061006e0067006500100800000062006c00750065008000" },
    { "(@DEVICE.colOour == {\"orange\", \"bluenge\", \"blue\"})",
      "fb0e00000063006f006c004f006f00750072005031000000100c0000006f0072"
      "0061006e0067006500100e00000062006c00750065006e006700650010080000"
      "0062006c0075006500800000" },
    { "(@DEVICE.colour == \"blue\")",
      "fb0c00000063006f006c006f0075007200100800000062006c00750065008000" },
    { "(@DEVICE.colour == {\"orange\", \"blue\"})",
      "fb0c00000063006f006c006f0075007200501e000000100c0000006f00720061"
      "006e0067006500100800000062006c007500650080000000" },
    { "(@DEVICE.legs == 1)",
      "fb080000006c00650067007300040100000000000000030280000000" },
    { "(@DEVICE.legs >= 1)",
      "fb080000006c00650067007300040100000000000000030285000000" },
    { "(@USER.colour == @DEVICE.colour)",
      "f90c00000063006f006c006f0075007200fb0c00000063006f006c006f007500"
      "72008000" },
    { "(Device_Member_of {SID(BA)})",
      "50150000005110000000010200000000000520000000200200008a00" },
    { "(Member_of {SID(S-1-77-88-99)})",
      "50150000005110000000010200000000004d58000000630000008900" },
    { "(urce.colour)",
      "f81600000075007200630065002e0063006f006c006f007500720000" },
    { "(@DEVICE.colour Contains @RESOURCE.colour)",
      "fb0c00000063006f006c006f0075007200fa0c00000063006f006c006f007500"
      "72008600" },
    { "((@DEVICE.l Contains {SID(AA)}) && (@DEVICE.l Contains 777))",
      "fb020000006c0050150000005110000000010200000000000520000000430200"
      "0086fb020000006c00040903000000000000030286a00000" },
    { "((@USER.Dev) && (Member_of {SID(WD)}))",
      "f9060000004400650076005011000000510c0000000101000000000001000000"
      "0089a000" },
    { "(@DEVICE.l != @RESOURCE.c)",
      "fb020000006c00fa0200000063008100" },
    { "(@DEVICE.l == 7777)",
      "fb020000006c0004611e00000000000003028000" },
    { "(@DEVICE.l == @RESOURCE.c)",
      "fb020000006c00fa0200000063008000" },
    { "(@DEVICE.l == {\"or610S800aanNUge\", \"ue\"})",
      "fb020000006c00502e00000010200000006f0072003600310030005300380030"
      "003000610061006e004e005500670065001004000000750065008000" },
    { "(@DEVICE.l == {SID(AA), \"buengebluengae\"})",
      "fb020000006c0050360000005110000000010200000000000520000000430200"
      "00101c0000006200750065006e006700650062006c00750065006e0067006100"
      "65008000" },
    { "(@DEVICE.l > @DEVICE.e.c)",
      "fb020000006c00fb0600000065002e0063008400" },
    { "(@DEVICE.l > @RESOURCE.c)",
      "fb020000006c00fa0200000063008400" },
    { "(@DEVICE.l > @USER.rce.c)",
      "fb020000006c00f90a0000007200630065002e0063008400" },
    { "(@DEVICE.l >= {SID(AA), \"buengebluengae\"})",
      "fb020000006c0050360000005110000000010200000000000520000000430200"
      "00101c0000006200750065006e006700650062006c00750065006e0067006100"
      "65008500" },
    { "(@DEVICE.l Contains 777)",
      "fb020000006c0004090300000000000003028600" },
    { "(@RESOURCE.99999999999999999999999999999999999999999999999c)",
      "fa60000000390039003900390039003900390039003900390039003900390039"
      "0039003900390039003900390039003900390039003900390039003900390039"
      "0039003900390039003900390039003900390039003900390039003900390039"
      "0039006300000000" },
    { "(@RESOURCE.9c)",
      "fa0400000039006300000000" },
    { "(@RESOURCE.c < #77)",
      "fa020000006300180100000077820000" },
    { "(@RESOURCE.c < 77)",
      "fa020000006300044d0000000000000003028200" },
    { "(@RESOURCE.c)",
      "fa02000000630000" },
    { "(@RESOURCE.ce.c)",
      "fa08000000630065002e006300000000" },
    { "(@RESOURCE.colOIS)",
      "fa0c00000063006f006c004f0049005300000000" },
    { "(@RESOURCE.colOLr)",
      "fa0c00000063006f006c004f004c007200000000" },
    { "(@RESOURCE.colour)",
      "fa0c00000063006f006c006f0075007200000000" },
    { "(AResource.c)",
      "f81600000041005200650073006f0075007200630065002e00630000" },
    { "(HDevice.l == {SID(AA), SID(AA), \"buengebluengae\"})",
      "f81200000048004400650076006900630065002e006c00504b00000051100000"
      "0001020000000000052000000043020000511000000001020000000000052000"
      "000043020000101c0000006200750065006e006700650062006c00750065006e"
      "0067006100650080" },
    { "(HDevice.l == {SID(AA), SID(AA), SID(AA), \"buengebluengae\"})",
      "f81200000048004400650076006900630065002e006c00506000000051100000"
      "0001020000000000052000000043020000511000000001020000000000052000"
      "000043020000511000000001020000000000052000000043020000101c000000"
      "6200750065006e006700650062006c00750065006e0067006100650080000000" },
    { "(HDevice.l == {SID(AA), SID(AA), SID(AA), SID(AA), \"buengebluengae\"})",
      "f81200000048004400650076006900630065002e006c00507500000051100000"
      "0001020000000000052000000043020000511000000001020000000000052000"
      "0000430200005110000000010200000000000520000000430200005110000000"
      "01020000000000052000000043020000101c0000006200750065006e00670065"
      "0062006c00750065006e00670061006500800000" },
    { "(Resource.c)",
      "f8140000005200650073006f0075007200630065002e006300000000" },
    { "(dsdb_aud)",
      "f81000000064007300640062005f00610075006400000000" },
    { "(Member_of_any {SID(S-1-222-333)})",
      "5011000000510c00000001010000000000de4d0100008b00" },
    { "((@RESOURCE.99999993649997129;ev) && (Member_of {SID(WD)}))",
      "fa28000000390039003900390039003900390033003600340039003900390037"
      "003100320039003b00650076005011000000510c000000010100000000000100"
      "00000089a0000000" },
    { "((@RESOURCE.9999999364129;9}}}}}}}}}}}}.Dev) && (Member_of {SID(WD)}))",
      "fa3e00000039003900390039003900390039003300360034003100320039003b"
      "0039007d007d007d007d007d007d007d007d007d007d007d007d002e00440065"
      "0076005011000000510c00000001010000000000010000000089a000" },
    { "(!(!(!(!(!(!(!(!(!(!(!(WD))))))))))))",
      "f80400000057004400a2a2a2a2a2a2a2a2a2a2a2" },
    { "(!(qd))",
      "f80400000071006400a20000" },
    { "((Member_of {SID(AA)}) && (Member_of {SID(WD)}))",
      "5015000000511000000001020000000000052000000043020000895011000000"
      "510c00000001010000000000010000000089a000" },
    { "(q77777)",
      "f80c000000710037003700370037003700000000" },
    { "(777777777777777777)",
      "f824000000370037003700370037003700370037003700370037003700370037"
      "003700370037003700000000" },
    { "(777777777777)",
      "f818000000370037003700370037003700370037003700370037003700000000" },
    { "(77777777777777777777tdb777777)",
      "f83a000000370037003700370037003700370037003700370037003700370037"
      "0037003700370037003700370074006400620037003700370037003700370000" },
    { "(77777777777777777777tdb777777777777777777777777777)",
      "f864000000370037003700370037003700370037003700370037003700370037"
      "0037003700370037003700370074006400620037003700370037003700370037"
      "0037003700370037003700370037003700370037003700370037003700370037"
      "003700370037003700000000" },
    { "(q7777777777777777777777777777hhhhhhh)",
      "f848000000710037003700370037003700370037003700370037003700370037"
      "0037003700370037003700370037003700370037003700370037003700370068"
      "00680068006800680068006800000000" },
    { "(qP77777777SB777 >= @RESOURCE.R)",
      "f81e000000710050003700370037003700370037003700370053004200370037"
      "003700fa0200000052008500" },
    { "(qP7777777WO77RU7777HA777275PUS7777HA7777 > SID(S-1-7547319-5-5-192))",
      "f85000000071005000370037003700370037003700370057004f003700370052"
      "0055003700370037003700480041003700370037003200370035005000550053"
      "0037003700370037004800410037003700370037005114000000010300000073"
      "29b70500000005000000c00000008400" },
    { "(qP7777777WO77RU7777HA7772HA7777 > SID(S-1-5-192))",
      "f83e00000071005000370037003700370037003700370057004f003700370052"
      "0055003700370037003700480041003700370037003200480041003700370037"
      "003700510c0000000101000000000005c000000084000000" },
    { "(Member_of_any {SID(AS), SID(WD)})",
      "5022000000510c000000010100000000001201000000510c0000000101000000"
      "000001000000008b" },
    { "(Member_of SID(WD))",
      "510c000000010100000000000100000000890000" },
    { "(Member_of {SID(WD)})",
      "5011000000510c0000000101000000000001000000008900" },
    { "(Member_of_any {SID(S-1-1-334), SID(S-1-222-333)})",
      "5022000000510c00000001010000000000014e010000510c0000000101000000"
      "0000de4d0100008b" },
    { "(Member_of_any {SID(WD), SID(S-1-222-333)})",
      "5022000000510c000000010100000000000100000000510c0000000101000000"
      "0000de4d0100008b" },
};

struct pair {
    const char *in;
    const char *canonical;
};

/* Windows' canonical re-formatting (Samba's conditional_aces*.txt). */
static const struct pair windows_canonical[] = {
    { "(@User.Title == @User.Title)",
      "(@USER.Title == @USER.Title)" },
    { "(@User.Title == \"PM\")",
      "(@USER.Title == \"PM\")" },
    { "(@User.title == \"perambuator\")",
      "(@USER.title == \"perambuator\")" },
    { "(@USER.ad://ext/AuthenticationSilo == \"siloname\")",
      "(@USER.ad://ext/AuthenticationSilo == \"siloname\")" },
    { "(@User.Title == \"\")",
      "(@USER.Title == \"\")" },
    { "(@User.Title != @User.Title)",
      "(@USER.Title != @USER.Title)" },
    { "(@User.Title != \"PM\")",
      "(@USER.Title != \"PM\")" },
    { "(@User.Project Any_of @Resource.Project)",
      "(@USER.Project Any_of @RESOURCE.Project)" },
    { "(OctetStringType==##1#2#3##)",
      "(OctetStringType == #01020300)" },
    { "(OctetStringType==#01020300)",
      "(OctetStringType == #01020300)" },
    { "(Member_of {SID(S-1-999-777-7-7), SID(BO)} && @Device.Bitlocker)",
      "((Member_of {SID(S-1-999-777-7-7), SID(BO)}) && (@DEVICE.Bitlocker))" },
    { "(@User.Title==\"PM\" && (@User.Division==\"Finance\" || @User.Division ==\"Sales\"))",
      "((@USER.Title == \"PM\") && ((@USER.Division == \"Finance\") || (@USER.Division == \"Sales\")))" },
    { "(@Device.colour == {\"orange\", \"blue\"})",
      "(@DEVICE.colour == {\"orange\", \"blue\"})" },
    { "(@Device.legs >= 1)",
      "(@DEVICE.legs >= 1)" },
    { "(@Device.legs == 1)",
      "(@DEVICE.legs == 1)" },
    { "(Device_Member_of{SID(BA)} && Member_of{SID(WD)})",
      "((Device_Member_of {SID(BA)}) && (Member_of {SID(WD)}))" },
    { "(Device_Member_of{SID(AA)} || Member_of{SID(WD)})",
      "((Device_Member_of {SID(AA)}) || (Member_of {SID(WD)}))" },
    { "(Device_Member_of{SID(BG)} || Member_of{SID(WR)})",
      "((Device_Member_of {SID(BG)}) || (Member_of {SID(WR)}))" },
    { "(Member_of_Any{SID(S-1-222-333)})",
      "(Member_of_any {SID(S-1-222-333)})" },
    { "(Member_of{SID(S-1-1-0)})",
      "(Member_of {SID(WD)})" },
    { "(Member_of SID(S-1-1-0))",
      "(Member_of SID(WD))" },
    { "(Member_of(SID(S-1-1-0)))",
      "(Member_of SID(WD))" },
    { "(Member_of_Any SID(S-1-1-0))",
      "(Member_of_any SID(WD))" },
    { "(Member_of_Any{SID(AS),SID(WD)})",
      "(Member_of_any {SID(AS), SID(WD)})" },
    { "(Member_of_Any{SID(S-1-1-0), SID(S-1-222-333)})",
      "(Member_of_any {SID(WD), SID(S-1-222-333)})" },
    { "(Member_of_Any{SID(S-1-1-334), SID(S-1-222-333)})",
      "(Member_of_any {SID(S-1-1-334), SID(S-1-222-333)})" },
    { "(Member_of{SID(S-1-77-88-99)})",
      "(Member_of {SID(S-1-77-88-99)})" },
    { "(Device_Member_of{SID(BA)})",
      "(Device_Member_of {SID(BA)})" },
    { "(!(! (Member_of{SID(AA)})))",
      "(!(!(Member_of {SID(AA)})))" },
    { "(!(!(!(!(!(! (Member_of{SID(AA)})))))))",
      "(!(!(!(!(!(!(Member_of {SID(AA)})))))))" },
    { "(@Device.colour Contains @Resource.colour)",
      "(@DEVICE.colour Contains @RESOURCE.colour)" },
    { "(@Device.colour == @Resource.colour)",
      "(@DEVICE.colour == @RESOURCE.colour)" },
    { "(@Device.colour == \"blue\")",
      "(@DEVICE.colour == \"blue\")" },
    { "(@User.colour == @Device.colour)",
      "(@USER.colour == @DEVICE.colour)" },
    { "(member_of{SID(S-1-1-0)})",
      "(Member_of {SID(WD)})" },
    { "(mEMBER_of{SID(S-1-1-0)})",
      "(Member_of {SID(WD)})" },
    { "(Member_Of{SID(S-1-1-0)})",
      "(Member_of {SID(WD)})" },
    { "(Member_Of SID(S-1-1-0))",
      "(Member_of SID(WD))" },
    { "(@USER.Project Any_of \"pink\")",
      "(@USER.Project Any_of \"pink\")" },
    { "(@USER.Project Any_of 1)",
      "(@USER.Project Any_of 1)" },
    { "(!(@USER.Project Not_Any_of 1))",
      "(!(@USER.Project Not_Any_of 1))" },
    { "(a == 1)",
      "(a == 1)" },
    { "(@User.a == @User.b)",
      "(@USER.a == @USER.b)" },
    { "(a == @User.a)",
      "(a == @USER.a)" },
    { "(@USER.A && @Device.B && @USER.C)",
      "(((@USER.A) && (@DEVICE.B)) && (@USER.C))" },
    { "(@USER.A && @Device.B || @USER.C)",
      "(((@USER.A) && (@DEVICE.B)) || (@USER.C))" },
    { "(@USER.A || @Device.B && @USER.C)",
      "((@USER.A) || ((@DEVICE.B) && (@USER.C)))" },
    { "(@USER.A || @Device.B || @USER.C)",
      "(((@USER.A) || (@DEVICE.B)) || (@USER.C))" },
    { "(@Device.Bitlocker && @Device.Bitlocker)",
      "((@DEVICE.Bitlocker) && (@DEVICE.Bitlocker))" },
    { "(@Device.Bitlocker || @Device.Bitlocker)",
      "((@DEVICE.Bitlocker) || (@DEVICE.Bitlocker))" },
    { "(@USER.A && @Device.B)",
      "((@USER.A) && (@DEVICE.B))" },
    { "(@USER.Bitlocker || @Device.Bitlocker)",
      "((@USER.Bitlocker) || (@DEVICE.Bitlocker))" },
    { "(@Device.bb == 0x7fffffffffffffff)",
      "(@DEVICE.bb == 0x7fffffffffffffff)" },
    { "(@Device.bb == 0xffffffff)",
      "(@DEVICE.bb == 0xffffffff)" },
    { "(@Device.bb == 0xfffffffff)",
      "(@DEVICE.bb == 0xfffffffff)" },
    { "(Member_of {1, 2, 3})",
      "(Member_of {1, 2, 3})" },
    { "(Member_of 3)",
      "(Member_of 3)" },
    { "(@USER.Project Any_of {1, 1})",
      "(@USER.Project Any_of {1, 1})" },
    { "(@USER.Project Any_of {\"foo\", \"FOO\"})",
      "(@USER.Project Any_of {\"foo\", \"FOO\"})" },
    { "(@USER.Project Any_of {\"foo\", \"foo\", \"FOO\"})",
      "(@USER.Project Any_of {\"foo\", \"foo\", \"FOO\"})" },
    { "(@USER.Project Any_of {1, 2, 3})",
      "(@USER.Project Any_of {1, 2, 3})" },
    { "(@USER.Project Any_of {3, 2, 1})",
      "(@USER.Project Any_of {3, 2, 1})" },
    { "(@USER.Project Any_of {1, 1, 1})",
      "(@USER.Project Any_of {1, 1, 1})" },
    { "(@USER.Project Any_of {1, 2, 3, 2, 1})",
      "(@USER.Project Any_of {1, 2, 3, 2, 1})" },
    { "(@RESOURCE.a == @RESOURCE.b)",
      "(@RESOURCE.a == @RESOURCE.b)" },
    { "(member_of sid(s-1-1-0))",
      "(Member_of SID(WD))" },
    { "(member_of(sid(s-1-1-0)))",
      "(Member_of SID(WD))" },
    { "(member_of((sid(s-1-1-0))))",
      "(Member_of SID(WD))" },
    { "(@User.TEETH == \"5\")",
      "(@USER.TEETH == \"5\")" },
    { " (Member_of {SID(S-1-1-0), SID(BO)} && @Device.Bitlocker)",
      "((Member_of {SID(WD), SID(BO)}) && (@DEVICE.Bitlocker))" },
    { " (@User.Project Any_of @Resource.Project)",
      "(@USER.Project Any_of @RESOURCE.Project)" },
    { "(OctetStringType==#1#2#3##)",
      "(OctetStringType == #01020300)" },
    { "(@Device.bb == 0xffffffffffffffff)",
      "(@DEVICE.bb == 0xffffffffffffffff)" },
    { "(OctetStringType==#abcdef)",
      "(OctetStringType == #abcdef)" },
};

#endif
