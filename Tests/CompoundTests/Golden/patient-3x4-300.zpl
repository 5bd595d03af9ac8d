^XA
^CI28
^PW1200
^LL900
^LH0,0
^FO30,12^A0N,27,27^FB900,2,0,L,0^FH^FDRiverside Compounding Pharmacy · 120 Main Street, Springfield, IL 62701 · (217) 555-0142^FS
^FO30,93^A0N,58,58^FB1140,1,0,L,0^FH^FDEleanor O'Brien-Šimková^FS
^FO30,219^A0N,54,54^FB1140,1,0,L,0^FH^FDNaltrexone HCl 4.5 mg capsule^FS
^FO30,297^A0N,50,50^FB1140,1,0,L,0^FH^FDTake 1 capsule by mouth at bedtime^FS
^FO30,543^A0N,29,29^FB780,1,0,L,0^FH^FDRx 600001   Filled 2026-11-22   Qty 30   Refills 2^FS
^FO30,594^A0N,27,27^FB780,1,0,L,0^FH^FDPrescriber: Dr. Ana Ruiz, MD^FS
^FO30,636^A0N,29,29^FB780,1,0,L,0^FH^FDDiscard after 2027-05-21   Lot LDN45-261122-01^FS
^FO855,543^BY3^BCN,126,Y,N,N,A^FH^FD600001^FS
^FO30,717^A0N,23,23^FB1140,2,0,L,0^FH^FDCompounded by Riverside Compounding Pharmacy. Store at 20-25 °C (68-77 °F) in a tight, light-resistant container.^FS
^FO30,777^A0N,21,21^FB1140,4,0,L,0^FH^FD· Do not take opioid medicines (tramadol, oxycodone, codeine): they will not work, and overcoming the block can cause a fatal overdose · Carry a card saying you take naltrexone · Ask your doctor if pregnant or breast-feeding · May cause vivid dreams or poor sleep: then take it in the morning · Stop 7 days before planned surgery^FS
^XZ
