//go:build amd64 && !purego

#include "textflag.h"

// tanh in float32 lanes: the operations of tanh32 (tanh.go) in its order,
// each rounded, so that every lane is tanh32 of its element bit for bit.
// Both paths are computed in every lane and one is chosen: |x| < 0.625 the
// odd polynomial, else 1 - 2/(e^{2|x|}+1). Only registers 0 to 12 (and K1,
// K2) are used, the constants are read from tanhc, 16 copies each.


DATA tanhc<>+0(SB)/4, $0x7fffffff
DATA tanhc<>+4(SB)/4, $0x7fffffff
DATA tanhc<>+8(SB)/4, $0x7fffffff
DATA tanhc<>+12(SB)/4, $0x7fffffff
DATA tanhc<>+16(SB)/4, $0x7fffffff
DATA tanhc<>+20(SB)/4, $0x7fffffff
DATA tanhc<>+24(SB)/4, $0x7fffffff
DATA tanhc<>+28(SB)/4, $0x7fffffff
DATA tanhc<>+32(SB)/4, $0x7fffffff
DATA tanhc<>+36(SB)/4, $0x7fffffff
DATA tanhc<>+40(SB)/4, $0x7fffffff
DATA tanhc<>+44(SB)/4, $0x7fffffff
DATA tanhc<>+48(SB)/4, $0x7fffffff
DATA tanhc<>+52(SB)/4, $0x7fffffff
DATA tanhc<>+56(SB)/4, $0x7fffffff
DATA tanhc<>+60(SB)/4, $0x7fffffff

DATA tanhc<>+64(SB)/4, $0x80000000
DATA tanhc<>+68(SB)/4, $0x80000000
DATA tanhc<>+72(SB)/4, $0x80000000
DATA tanhc<>+76(SB)/4, $0x80000000
DATA tanhc<>+80(SB)/4, $0x80000000
DATA tanhc<>+84(SB)/4, $0x80000000
DATA tanhc<>+88(SB)/4, $0x80000000
DATA tanhc<>+92(SB)/4, $0x80000000
DATA tanhc<>+96(SB)/4, $0x80000000
DATA tanhc<>+100(SB)/4, $0x80000000
DATA tanhc<>+104(SB)/4, $0x80000000
DATA tanhc<>+108(SB)/4, $0x80000000
DATA tanhc<>+112(SB)/4, $0x80000000
DATA tanhc<>+116(SB)/4, $0x80000000
DATA tanhc<>+120(SB)/4, $0x80000000
DATA tanhc<>+124(SB)/4, $0x80000000

DATA tanhc<>+128(SB)/4, $0x3f200000
DATA tanhc<>+132(SB)/4, $0x3f200000
DATA tanhc<>+136(SB)/4, $0x3f200000
DATA tanhc<>+140(SB)/4, $0x3f200000
DATA tanhc<>+144(SB)/4, $0x3f200000
DATA tanhc<>+148(SB)/4, $0x3f200000
DATA tanhc<>+152(SB)/4, $0x3f200000
DATA tanhc<>+156(SB)/4, $0x3f200000
DATA tanhc<>+160(SB)/4, $0x3f200000
DATA tanhc<>+164(SB)/4, $0x3f200000
DATA tanhc<>+168(SB)/4, $0x3f200000
DATA tanhc<>+172(SB)/4, $0x3f200000
DATA tanhc<>+176(SB)/4, $0x3f200000
DATA tanhc<>+180(SB)/4, $0x3f200000
DATA tanhc<>+184(SB)/4, $0x3f200000
DATA tanhc<>+188(SB)/4, $0x3f200000

DATA tanhc<>+192(SB)/4, $0x4111999a
DATA tanhc<>+196(SB)/4, $0x4111999a
DATA tanhc<>+200(SB)/4, $0x4111999a
DATA tanhc<>+204(SB)/4, $0x4111999a
DATA tanhc<>+208(SB)/4, $0x4111999a
DATA tanhc<>+212(SB)/4, $0x4111999a
DATA tanhc<>+216(SB)/4, $0x4111999a
DATA tanhc<>+220(SB)/4, $0x4111999a
DATA tanhc<>+224(SB)/4, $0x4111999a
DATA tanhc<>+228(SB)/4, $0x4111999a
DATA tanhc<>+232(SB)/4, $0x4111999a
DATA tanhc<>+236(SB)/4, $0x4111999a
DATA tanhc<>+240(SB)/4, $0x4111999a
DATA tanhc<>+244(SB)/4, $0x4111999a
DATA tanhc<>+248(SB)/4, $0x4111999a
DATA tanhc<>+252(SB)/4, $0x4111999a

DATA tanhc<>+256(SB)/4, $0x3fb8aa3b
DATA tanhc<>+260(SB)/4, $0x3fb8aa3b
DATA tanhc<>+264(SB)/4, $0x3fb8aa3b
DATA tanhc<>+268(SB)/4, $0x3fb8aa3b
DATA tanhc<>+272(SB)/4, $0x3fb8aa3b
DATA tanhc<>+276(SB)/4, $0x3fb8aa3b
DATA tanhc<>+280(SB)/4, $0x3fb8aa3b
DATA tanhc<>+284(SB)/4, $0x3fb8aa3b
DATA tanhc<>+288(SB)/4, $0x3fb8aa3b
DATA tanhc<>+292(SB)/4, $0x3fb8aa3b
DATA tanhc<>+296(SB)/4, $0x3fb8aa3b
DATA tanhc<>+300(SB)/4, $0x3fb8aa3b
DATA tanhc<>+304(SB)/4, $0x3fb8aa3b
DATA tanhc<>+308(SB)/4, $0x3fb8aa3b
DATA tanhc<>+312(SB)/4, $0x3fb8aa3b
DATA tanhc<>+316(SB)/4, $0x3fb8aa3b

DATA tanhc<>+320(SB)/4, $0x4b400000
DATA tanhc<>+324(SB)/4, $0x4b400000
DATA tanhc<>+328(SB)/4, $0x4b400000
DATA tanhc<>+332(SB)/4, $0x4b400000
DATA tanhc<>+336(SB)/4, $0x4b400000
DATA tanhc<>+340(SB)/4, $0x4b400000
DATA tanhc<>+344(SB)/4, $0x4b400000
DATA tanhc<>+348(SB)/4, $0x4b400000
DATA tanhc<>+352(SB)/4, $0x4b400000
DATA tanhc<>+356(SB)/4, $0x4b400000
DATA tanhc<>+360(SB)/4, $0x4b400000
DATA tanhc<>+364(SB)/4, $0x4b400000
DATA tanhc<>+368(SB)/4, $0x4b400000
DATA tanhc<>+372(SB)/4, $0x4b400000
DATA tanhc<>+376(SB)/4, $0x4b400000
DATA tanhc<>+380(SB)/4, $0x4b400000

DATA tanhc<>+384(SB)/4, $0x3f318000
DATA tanhc<>+388(SB)/4, $0x3f318000
DATA tanhc<>+392(SB)/4, $0x3f318000
DATA tanhc<>+396(SB)/4, $0x3f318000
DATA tanhc<>+400(SB)/4, $0x3f318000
DATA tanhc<>+404(SB)/4, $0x3f318000
DATA tanhc<>+408(SB)/4, $0x3f318000
DATA tanhc<>+412(SB)/4, $0x3f318000
DATA tanhc<>+416(SB)/4, $0x3f318000
DATA tanhc<>+420(SB)/4, $0x3f318000
DATA tanhc<>+424(SB)/4, $0x3f318000
DATA tanhc<>+428(SB)/4, $0x3f318000
DATA tanhc<>+432(SB)/4, $0x3f318000
DATA tanhc<>+436(SB)/4, $0x3f318000
DATA tanhc<>+440(SB)/4, $0x3f318000
DATA tanhc<>+444(SB)/4, $0x3f318000

DATA tanhc<>+448(SB)/4, $0xb95e8083
DATA tanhc<>+452(SB)/4, $0xb95e8083
DATA tanhc<>+456(SB)/4, $0xb95e8083
DATA tanhc<>+460(SB)/4, $0xb95e8083
DATA tanhc<>+464(SB)/4, $0xb95e8083
DATA tanhc<>+468(SB)/4, $0xb95e8083
DATA tanhc<>+472(SB)/4, $0xb95e8083
DATA tanhc<>+476(SB)/4, $0xb95e8083
DATA tanhc<>+480(SB)/4, $0xb95e8083
DATA tanhc<>+484(SB)/4, $0xb95e8083
DATA tanhc<>+488(SB)/4, $0xb95e8083
DATA tanhc<>+492(SB)/4, $0xb95e8083
DATA tanhc<>+496(SB)/4, $0xb95e8083
DATA tanhc<>+500(SB)/4, $0xb95e8083
DATA tanhc<>+504(SB)/4, $0xb95e8083
DATA tanhc<>+508(SB)/4, $0xb95e8083

DATA tanhc<>+512(SB)/4, $0xbeaaaa9b
DATA tanhc<>+516(SB)/4, $0xbeaaaa9b
DATA tanhc<>+520(SB)/4, $0xbeaaaa9b
DATA tanhc<>+524(SB)/4, $0xbeaaaa9b
DATA tanhc<>+528(SB)/4, $0xbeaaaa9b
DATA tanhc<>+532(SB)/4, $0xbeaaaa9b
DATA tanhc<>+536(SB)/4, $0xbeaaaa9b
DATA tanhc<>+540(SB)/4, $0xbeaaaa9b
DATA tanhc<>+544(SB)/4, $0xbeaaaa9b
DATA tanhc<>+548(SB)/4, $0xbeaaaa9b
DATA tanhc<>+552(SB)/4, $0xbeaaaa9b
DATA tanhc<>+556(SB)/4, $0xbeaaaa9b
DATA tanhc<>+560(SB)/4, $0xbeaaaa9b
DATA tanhc<>+564(SB)/4, $0xbeaaaa9b
DATA tanhc<>+568(SB)/4, $0xbeaaaa9b
DATA tanhc<>+572(SB)/4, $0xbeaaaa9b

DATA tanhc<>+576(SB)/4, $0x3e0883da
DATA tanhc<>+580(SB)/4, $0x3e0883da
DATA tanhc<>+584(SB)/4, $0x3e0883da
DATA tanhc<>+588(SB)/4, $0x3e0883da
DATA tanhc<>+592(SB)/4, $0x3e0883da
DATA tanhc<>+596(SB)/4, $0x3e0883da
DATA tanhc<>+600(SB)/4, $0x3e0883da
DATA tanhc<>+604(SB)/4, $0x3e0883da
DATA tanhc<>+608(SB)/4, $0x3e0883da
DATA tanhc<>+612(SB)/4, $0x3e0883da
DATA tanhc<>+616(SB)/4, $0x3e0883da
DATA tanhc<>+620(SB)/4, $0x3e0883da
DATA tanhc<>+624(SB)/4, $0x3e0883da
DATA tanhc<>+628(SB)/4, $0x3e0883da
DATA tanhc<>+632(SB)/4, $0x3e0883da
DATA tanhc<>+636(SB)/4, $0x3e0883da

DATA tanhc<>+640(SB)/4, $0xbd5c25ed
DATA tanhc<>+644(SB)/4, $0xbd5c25ed
DATA tanhc<>+648(SB)/4, $0xbd5c25ed
DATA tanhc<>+652(SB)/4, $0xbd5c25ed
DATA tanhc<>+656(SB)/4, $0xbd5c25ed
DATA tanhc<>+660(SB)/4, $0xbd5c25ed
DATA tanhc<>+664(SB)/4, $0xbd5c25ed
DATA tanhc<>+668(SB)/4, $0xbd5c25ed
DATA tanhc<>+672(SB)/4, $0xbd5c25ed
DATA tanhc<>+676(SB)/4, $0xbd5c25ed
DATA tanhc<>+680(SB)/4, $0xbd5c25ed
DATA tanhc<>+684(SB)/4, $0xbd5c25ed
DATA tanhc<>+688(SB)/4, $0xbd5c25ed
DATA tanhc<>+692(SB)/4, $0xbd5c25ed
DATA tanhc<>+696(SB)/4, $0xbd5c25ed
DATA tanhc<>+700(SB)/4, $0xbd5c25ed

DATA tanhc<>+704(SB)/4, $0x3ca9441a
DATA tanhc<>+708(SB)/4, $0x3ca9441a
DATA tanhc<>+712(SB)/4, $0x3ca9441a
DATA tanhc<>+716(SB)/4, $0x3ca9441a
DATA tanhc<>+720(SB)/4, $0x3ca9441a
DATA tanhc<>+724(SB)/4, $0x3ca9441a
DATA tanhc<>+728(SB)/4, $0x3ca9441a
DATA tanhc<>+732(SB)/4, $0x3ca9441a
DATA tanhc<>+736(SB)/4, $0x3ca9441a
DATA tanhc<>+740(SB)/4, $0x3ca9441a
DATA tanhc<>+744(SB)/4, $0x3ca9441a
DATA tanhc<>+748(SB)/4, $0x3ca9441a
DATA tanhc<>+752(SB)/4, $0x3ca9441a
DATA tanhc<>+756(SB)/4, $0x3ca9441a
DATA tanhc<>+760(SB)/4, $0x3ca9441a
DATA tanhc<>+764(SB)/4, $0x3ca9441a

DATA tanhc<>+768(SB)/4, $0xbbbbce8e
DATA tanhc<>+772(SB)/4, $0xbbbbce8e
DATA tanhc<>+776(SB)/4, $0xbbbbce8e
DATA tanhc<>+780(SB)/4, $0xbbbbce8e
DATA tanhc<>+784(SB)/4, $0xbbbbce8e
DATA tanhc<>+788(SB)/4, $0xbbbbce8e
DATA tanhc<>+792(SB)/4, $0xbbbbce8e
DATA tanhc<>+796(SB)/4, $0xbbbbce8e
DATA tanhc<>+800(SB)/4, $0xbbbbce8e
DATA tanhc<>+804(SB)/4, $0xbbbbce8e
DATA tanhc<>+808(SB)/4, $0xbbbbce8e
DATA tanhc<>+812(SB)/4, $0xbbbbce8e
DATA tanhc<>+816(SB)/4, $0xbbbbce8e
DATA tanhc<>+820(SB)/4, $0xbbbbce8e
DATA tanhc<>+824(SB)/4, $0xbbbbce8e
DATA tanhc<>+828(SB)/4, $0xbbbbce8e

DATA tanhc<>+832(SB)/4, $0x3f000000
DATA tanhc<>+836(SB)/4, $0x3f000000
DATA tanhc<>+840(SB)/4, $0x3f000000
DATA tanhc<>+844(SB)/4, $0x3f000000
DATA tanhc<>+848(SB)/4, $0x3f000000
DATA tanhc<>+852(SB)/4, $0x3f000000
DATA tanhc<>+856(SB)/4, $0x3f000000
DATA tanhc<>+860(SB)/4, $0x3f000000
DATA tanhc<>+864(SB)/4, $0x3f000000
DATA tanhc<>+868(SB)/4, $0x3f000000
DATA tanhc<>+872(SB)/4, $0x3f000000
DATA tanhc<>+876(SB)/4, $0x3f000000
DATA tanhc<>+880(SB)/4, $0x3f000000
DATA tanhc<>+884(SB)/4, $0x3f000000
DATA tanhc<>+888(SB)/4, $0x3f000000
DATA tanhc<>+892(SB)/4, $0x3f000000

DATA tanhc<>+896(SB)/4, $0x3e2aaaab
DATA tanhc<>+900(SB)/4, $0x3e2aaaab
DATA tanhc<>+904(SB)/4, $0x3e2aaaab
DATA tanhc<>+908(SB)/4, $0x3e2aaaab
DATA tanhc<>+912(SB)/4, $0x3e2aaaab
DATA tanhc<>+916(SB)/4, $0x3e2aaaab
DATA tanhc<>+920(SB)/4, $0x3e2aaaab
DATA tanhc<>+924(SB)/4, $0x3e2aaaab
DATA tanhc<>+928(SB)/4, $0x3e2aaaab
DATA tanhc<>+932(SB)/4, $0x3e2aaaab
DATA tanhc<>+936(SB)/4, $0x3e2aaaab
DATA tanhc<>+940(SB)/4, $0x3e2aaaab
DATA tanhc<>+944(SB)/4, $0x3e2aaaab
DATA tanhc<>+948(SB)/4, $0x3e2aaaab
DATA tanhc<>+952(SB)/4, $0x3e2aaaab
DATA tanhc<>+956(SB)/4, $0x3e2aaaab

DATA tanhc<>+960(SB)/4, $0x3d2aaa3c
DATA tanhc<>+964(SB)/4, $0x3d2aaa3c
DATA tanhc<>+968(SB)/4, $0x3d2aaa3c
DATA tanhc<>+972(SB)/4, $0x3d2aaa3c
DATA tanhc<>+976(SB)/4, $0x3d2aaa3c
DATA tanhc<>+980(SB)/4, $0x3d2aaa3c
DATA tanhc<>+984(SB)/4, $0x3d2aaa3c
DATA tanhc<>+988(SB)/4, $0x3d2aaa3c
DATA tanhc<>+992(SB)/4, $0x3d2aaa3c
DATA tanhc<>+996(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1000(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1004(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1008(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1012(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1016(SB)/4, $0x3d2aaa3c
DATA tanhc<>+1020(SB)/4, $0x3d2aaa3c

DATA tanhc<>+1024(SB)/4, $0x3c088842
DATA tanhc<>+1028(SB)/4, $0x3c088842
DATA tanhc<>+1032(SB)/4, $0x3c088842
DATA tanhc<>+1036(SB)/4, $0x3c088842
DATA tanhc<>+1040(SB)/4, $0x3c088842
DATA tanhc<>+1044(SB)/4, $0x3c088842
DATA tanhc<>+1048(SB)/4, $0x3c088842
DATA tanhc<>+1052(SB)/4, $0x3c088842
DATA tanhc<>+1056(SB)/4, $0x3c088842
DATA tanhc<>+1060(SB)/4, $0x3c088842
DATA tanhc<>+1064(SB)/4, $0x3c088842
DATA tanhc<>+1068(SB)/4, $0x3c088842
DATA tanhc<>+1072(SB)/4, $0x3c088842
DATA tanhc<>+1076(SB)/4, $0x3c088842
DATA tanhc<>+1080(SB)/4, $0x3c088842
DATA tanhc<>+1084(SB)/4, $0x3c088842

DATA tanhc<>+1088(SB)/4, $0x3ab6cf39
DATA tanhc<>+1092(SB)/4, $0x3ab6cf39
DATA tanhc<>+1096(SB)/4, $0x3ab6cf39
DATA tanhc<>+1100(SB)/4, $0x3ab6cf39
DATA tanhc<>+1104(SB)/4, $0x3ab6cf39
DATA tanhc<>+1108(SB)/4, $0x3ab6cf39
DATA tanhc<>+1112(SB)/4, $0x3ab6cf39
DATA tanhc<>+1116(SB)/4, $0x3ab6cf39
DATA tanhc<>+1120(SB)/4, $0x3ab6cf39
DATA tanhc<>+1124(SB)/4, $0x3ab6cf39
DATA tanhc<>+1128(SB)/4, $0x3ab6cf39
DATA tanhc<>+1132(SB)/4, $0x3ab6cf39
DATA tanhc<>+1136(SB)/4, $0x3ab6cf39
DATA tanhc<>+1140(SB)/4, $0x3ab6cf39
DATA tanhc<>+1144(SB)/4, $0x3ab6cf39
DATA tanhc<>+1148(SB)/4, $0x3ab6cf39

DATA tanhc<>+1152(SB)/4, $0x3950d84d
DATA tanhc<>+1156(SB)/4, $0x3950d84d
DATA tanhc<>+1160(SB)/4, $0x3950d84d
DATA tanhc<>+1164(SB)/4, $0x3950d84d
DATA tanhc<>+1168(SB)/4, $0x3950d84d
DATA tanhc<>+1172(SB)/4, $0x3950d84d
DATA tanhc<>+1176(SB)/4, $0x3950d84d
DATA tanhc<>+1180(SB)/4, $0x3950d84d
DATA tanhc<>+1184(SB)/4, $0x3950d84d
DATA tanhc<>+1188(SB)/4, $0x3950d84d
DATA tanhc<>+1192(SB)/4, $0x3950d84d
DATA tanhc<>+1196(SB)/4, $0x3950d84d
DATA tanhc<>+1200(SB)/4, $0x3950d84d
DATA tanhc<>+1204(SB)/4, $0x3950d84d
DATA tanhc<>+1208(SB)/4, $0x3950d84d
DATA tanhc<>+1212(SB)/4, $0x3950d84d

DATA tanhc<>+1216(SB)/4, $0x3f800000
DATA tanhc<>+1220(SB)/4, $0x3f800000
DATA tanhc<>+1224(SB)/4, $0x3f800000
DATA tanhc<>+1228(SB)/4, $0x3f800000
DATA tanhc<>+1232(SB)/4, $0x3f800000
DATA tanhc<>+1236(SB)/4, $0x3f800000
DATA tanhc<>+1240(SB)/4, $0x3f800000
DATA tanhc<>+1244(SB)/4, $0x3f800000
DATA tanhc<>+1248(SB)/4, $0x3f800000
DATA tanhc<>+1252(SB)/4, $0x3f800000
DATA tanhc<>+1256(SB)/4, $0x3f800000
DATA tanhc<>+1260(SB)/4, $0x3f800000
DATA tanhc<>+1264(SB)/4, $0x3f800000
DATA tanhc<>+1268(SB)/4, $0x3f800000
DATA tanhc<>+1272(SB)/4, $0x3f800000
DATA tanhc<>+1276(SB)/4, $0x3f800000

DATA tanhc<>+1280(SB)/4, $0x40000000
DATA tanhc<>+1284(SB)/4, $0x40000000
DATA tanhc<>+1288(SB)/4, $0x40000000
DATA tanhc<>+1292(SB)/4, $0x40000000
DATA tanhc<>+1296(SB)/4, $0x40000000
DATA tanhc<>+1300(SB)/4, $0x40000000
DATA tanhc<>+1304(SB)/4, $0x40000000
DATA tanhc<>+1308(SB)/4, $0x40000000
DATA tanhc<>+1312(SB)/4, $0x40000000
DATA tanhc<>+1316(SB)/4, $0x40000000
DATA tanhc<>+1320(SB)/4, $0x40000000
DATA tanhc<>+1324(SB)/4, $0x40000000
DATA tanhc<>+1328(SB)/4, $0x40000000
DATA tanhc<>+1332(SB)/4, $0x40000000
DATA tanhc<>+1336(SB)/4, $0x40000000
DATA tanhc<>+1340(SB)/4, $0x40000000

DATA tanhc<>+1344(SB)/4, $0x0000007f
DATA tanhc<>+1348(SB)/4, $0x0000007f
DATA tanhc<>+1352(SB)/4, $0x0000007f
DATA tanhc<>+1356(SB)/4, $0x0000007f
DATA tanhc<>+1360(SB)/4, $0x0000007f
DATA tanhc<>+1364(SB)/4, $0x0000007f
DATA tanhc<>+1368(SB)/4, $0x0000007f
DATA tanhc<>+1372(SB)/4, $0x0000007f
DATA tanhc<>+1376(SB)/4, $0x0000007f
DATA tanhc<>+1380(SB)/4, $0x0000007f
DATA tanhc<>+1384(SB)/4, $0x0000007f
DATA tanhc<>+1388(SB)/4, $0x0000007f
DATA tanhc<>+1392(SB)/4, $0x0000007f
DATA tanhc<>+1396(SB)/4, $0x0000007f
DATA tanhc<>+1400(SB)/4, $0x0000007f
DATA tanhc<>+1404(SB)/4, $0x0000007f

GLOBL tanhc<>(SB), RODATA|NOPTR, $1408

#define TANHY(off) \
	VMOVUPS off(SI), Y0 \
	VANDPS tanhc<>+0(SB), Y0, Y1 \
	VMULPS Y1, Y1, Y2 \
	VMOVUPS tanhc<>+768(SB), Y3 \
	VMULPS Y2, Y3, Y3 \
	VADDPS tanhc<>+704(SB), Y3, Y3 \
	VMULPS Y2, Y3, Y3 \
	VADDPS tanhc<>+640(SB), Y3, Y3 \
	VMULPS Y2, Y3, Y3 \
	VADDPS tanhc<>+576(SB), Y3, Y3 \
	VMULPS Y2, Y3, Y3 \
	VADDPS tanhc<>+512(SB), Y3, Y3 \
	VMULPS Y2, Y1, Y7 \
	VMULPS Y3, Y7, Y7 \
	VADDPS Y7, Y1, Y3 \
	VMINPS tanhc<>+192(SB), Y1, Y4 \
	VADDPS Y4, Y4, Y4 \
	VMULPS tanhc<>+256(SB), Y4, Y5 \
	VADDPS tanhc<>+320(SB), Y5, Y5 \
	VSUBPS tanhc<>+320(SB), Y5, Y5 \
	VMULPS tanhc<>+384(SB), Y5, Y7 \
	VSUBPS Y7, Y4, Y6 \
	VMULPS tanhc<>+448(SB), Y5, Y7 \
	VSUBPS Y7, Y6, Y6 \
	VMOVUPS tanhc<>+1152(SB), Y8 \
	VMULPS Y6, Y8, Y8 \
	VADDPS tanhc<>+1088(SB), Y8, Y8 \
	VMULPS Y6, Y8, Y8 \
	VADDPS tanhc<>+1024(SB), Y8, Y8 \
	VMULPS Y6, Y8, Y8 \
	VADDPS tanhc<>+960(SB), Y8, Y8 \
	VMULPS Y6, Y8, Y8 \
	VADDPS tanhc<>+896(SB), Y8, Y8 \
	VMULPS Y6, Y8, Y8 \
	VADDPS tanhc<>+832(SB), Y8, Y8 \
	VMULPS Y6, Y6, Y9 \
	VMULPS Y8, Y9, Y9 \
	VADDPS Y9, Y6, Y9 \
	VADDPS tanhc<>+1216(SB), Y9, Y9 \
	VCVTTPS2DQ Y5, Y10 \
	VPADDD tanhc<>+1344(SB), Y10, Y10 \
	VPSLLD $23, Y10, Y10 \
	VMULPS Y10, Y9, Y9 \
	VADDPS tanhc<>+1216(SB), Y9, Y10 \
	VMOVUPS tanhc<>+1280(SB), Y7 \
	VDIVPS Y10, Y7, Y7 \
	VMOVUPS tanhc<>+1216(SB), Y12 \
	VSUBPS Y7, Y12, Y12 \
	VCMPPS $1, tanhc<>+128(SB), Y1, Y11 \
	VBLENDVPS Y11, Y3, Y12, Y12 \
	VANDPS tanhc<>+64(SB), Y0, Y7 \
	VORPS Y7, Y12, Y12 \
	VCMPPS $3, Y0, Y0, Y11 \
	VBLENDVPS Y11, Y0, Y12, Y12 \
	VMOVUPS Y12, off(DI)

#define TANHZ(off) \
	VMOVUPS off(SI), Z0 \
	VPANDD tanhc<>+0(SB), Z0, Z1 \
	VMULPS Z1, Z1, Z2 \
	VMOVUPS tanhc<>+768(SB), Z3 \
	VMULPS Z2, Z3, Z3 \
	VADDPS tanhc<>+704(SB), Z3, Z3 \
	VMULPS Z2, Z3, Z3 \
	VADDPS tanhc<>+640(SB), Z3, Z3 \
	VMULPS Z2, Z3, Z3 \
	VADDPS tanhc<>+576(SB), Z3, Z3 \
	VMULPS Z2, Z3, Z3 \
	VADDPS tanhc<>+512(SB), Z3, Z3 \
	VMULPS Z2, Z1, Z7 \
	VMULPS Z3, Z7, Z7 \
	VADDPS Z7, Z1, Z3 \
	VMINPS tanhc<>+192(SB), Z1, Z4 \
	VADDPS Z4, Z4, Z4 \
	VMULPS tanhc<>+256(SB), Z4, Z5 \
	VADDPS tanhc<>+320(SB), Z5, Z5 \
	VSUBPS tanhc<>+320(SB), Z5, Z5 \
	VMULPS tanhc<>+384(SB), Z5, Z7 \
	VSUBPS Z7, Z4, Z6 \
	VMULPS tanhc<>+448(SB), Z5, Z7 \
	VSUBPS Z7, Z6, Z6 \
	VMOVUPS tanhc<>+1152(SB), Z8 \
	VMULPS Z6, Z8, Z8 \
	VADDPS tanhc<>+1088(SB), Z8, Z8 \
	VMULPS Z6, Z8, Z8 \
	VADDPS tanhc<>+1024(SB), Z8, Z8 \
	VMULPS Z6, Z8, Z8 \
	VADDPS tanhc<>+960(SB), Z8, Z8 \
	VMULPS Z6, Z8, Z8 \
	VADDPS tanhc<>+896(SB), Z8, Z8 \
	VMULPS Z6, Z8, Z8 \
	VADDPS tanhc<>+832(SB), Z8, Z8 \
	VMULPS Z6, Z6, Z9 \
	VMULPS Z8, Z9, Z9 \
	VADDPS Z9, Z6, Z9 \
	VADDPS tanhc<>+1216(SB), Z9, Z9 \
	VCVTTPS2DQ Z5, Z10 \
	VPADDD tanhc<>+1344(SB), Z10, Z10 \
	VPSLLD $23, Z10, Z10 \
	VMULPS Z10, Z9, Z9 \
	VADDPS tanhc<>+1216(SB), Z9, Z10 \
	VMOVUPS tanhc<>+1280(SB), Z7 \
	VDIVPS Z10, Z7, Z7 \
	VMOVUPS tanhc<>+1216(SB), Z12 \
	VSUBPS Z7, Z12, Z12 \
	VCMPPS $1, tanhc<>+128(SB), Z1, K1 \
	VPBLENDMD Z3, Z12, K1, Z12 \
	VPANDD tanhc<>+64(SB), Z0, Z7 \
	VPORD Z7, Z12, Z12 \
	VCMPPS $3, Z0, Z0, K2 \
	VPBLENDMD Z0, Z12, K2, Z12 \
	VMOVUPS Z12, off(DI)

// func tanh32Y(d, x *float32, n int): n a multiple of 8.
TEXT ·tanh32Y(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
ty8:
	SUBQ $8, CX
	JLT  tyend
	TANHY(0)
	ADDQ $32, SI
	ADDQ $32, DI
	JMP  ty8
tyend:
	VZEROUPPER
	RET

// func tanh32Z(d, x *float32, n int): n a multiple of 8.
TEXT ·tanh32Z(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
tz16:
	CMPQ CX, $16
	JLT  tz8
	TANHZ(0)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  tz16
tz8:
	CMPQ CX, $8
	JLT  tzend
	TANHY(0)
tzend:
	VZEROUPPER
	RET
